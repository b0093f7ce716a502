// SCRAM-SHA-512, SCRAM-SHA-256 and SCRAM-SHA-1 as `saslmechanisms` classes:
// the RFC 5802 §5 exchange as a small state machine over scram_messages.ts
// and scram_crypto.ts, whose results become AuthErrors here.

import { AuthError } from "../core/errors.ts";
import { scramAuthError } from "./auth_errors.ts";
import {
  type MechanismCredentials,
  type MechanismName,
  type SaslMechanism,
  trackMechanism,
  unexpected,
} from "./mechanism.ts";
import { fromWire, toWire } from "./sasl_encoding.ts";
import {
  createClientFinal,
  type ScramHash,
  verifyServerFinal,
} from "./scram_crypto.ts";
import {
  type ClientFirst,
  createClientFirst,
  parseServerFirst,
  type ServerFirst,
} from "./scram_messages.ts";

type ScramStep =
  | { readonly name: "start" }
  | { readonly name: "sent-first"; readonly first: ClientFirst }
  | {
    readonly name: "got-server-first";
    readonly first: ClientFirst;
    readonly serverFirst: ServerFirst;
  }
  | { readonly name: "sent-final"; readonly serverSignature: Uint8Array }
  | { readonly name: "verified"; readonly serverSignature: Uint8Array };

function notUtf8(what: string): AuthError {
  return scramAuthError({
    kind: "malformed-message",
    message: `${what} is not UTF-8`,
  });
}

// The password is read from the credentials when the proof is computed and
// never kept on the instance.
abstract class ScramMechanism implements SaslMechanism {
  abstract get name(): MechanismName;
  protected abstract get hash(): ScramHash;
  #step: ScramStep = { name: "start" };

  get clientFirst(): boolean {
    return true;
  }

  async response(credentials: MechanismCredentials): Promise<string> {
    const step = this.#step;
    if (step.name === "start") {
      credentials[trackMechanism]?.(this);
      const first = createClientFirst(credentials.username ?? "");
      if (!first.ok) throw scramAuthError(first.error);
      this.#step = { name: "sent-first", first: first.value };
      return toWire(first.value.message);
    }
    if (step.name === "got-server-first") {
      const final = await createClientFinal(
        this.hash,
        credentials.password ?? "",
        step.first,
        step.serverFirst,
      );
      if (!final.ok) throw scramAuthError(final.error);
      this.#step = {
        name: "sent-final",
        serverSignature: final.value.serverSignature,
      };
      return toWire(final.value.message);
    }
    // RFC 6120 §6.3.10: server-final came as a challenge; answer it empty.
    if (step.name === "verified") return "";
    throw unexpected(this.name, "a second request for a response");
  }

  challenge(data: string): Promise<SaslMechanism> {
    const step = this.#step;
    if (step.name === "sent-first") {
      const text = fromWire(data);
      if (text === null) return Promise.reject(notUtf8("challenge"));
      const serverFirst = parseServerFirst(text, step.first.nonce);
      if (!serverFirst.ok) {
        return Promise.reject(scramAuthError(serverFirst.error));
      }
      this.#step = {
        name: "got-server-first",
        first: step.first,
        serverFirst: serverFirst.value,
      };
      return Promise.resolve(this);
    }
    if (step.name === "sent-final") {
      const error = this.checkSuccess(data);
      return error ? Promise.reject(error) : Promise.resolve(this);
    }
    return Promise.reject(unexpected(this.name, "a challenge"));
  }

  checkSuccess(data: string): AuthError | null {
    const step = this.#step;
    if (step.name === "verified" && data === "") return null;
    if (step.name !== "sent-final" && step.name !== "verified") {
      // An impostor that does not know the password can only skip the proof.
      return new AuthError(
        "incomplete-exchange",
        `The chat server accepted the sign-in before the ${this.name} ` +
          "exchange was complete, so it never proved that it knows the " +
          "password. Sign-in was stopped; check the chat server address.",
      );
    }
    if (data === "") {
      return new AuthError(
        "server-signature-missing",
        "The chat server did not send its SCRAM signature (RFC 5802 §5, " +
          "RFC 6120 §6.3.10), so it could not be verified. Sign-in was stopped.",
      );
    }
    const text = fromWire(data);
    if (text === null) return notUtf8("server-final data");
    const error = verifyServerFinal(text, step.serverSignature);
    if (error) return scramAuthError(error);
    this.#step = { name: "verified", serverSignature: step.serverSignature };
    return null;
  }
}

// draft-melnikov-scram-sha-512 §3: RFC 5802 with SHA-512.
export class ScramSha512Mechanism extends ScramMechanism {
  get name(): MechanismName {
    return "SCRAM-SHA-512";
  }

  protected get hash(): ScramHash {
    return "SHA-512";
  }
}

// RFC 7677.
export class ScramSha256Mechanism extends ScramMechanism {
  get name(): MechanismName {
    return "SCRAM-SHA-256";
  }

  protected get hash(): ScramHash {
    return "SHA-256";
  }
}

// RFC 5802.
export class ScramSha1Mechanism extends ScramMechanism {
  get name(): MechanismName {
    return "SCRAM-SHA-1";
  }

  protected get hash(): ScramHash {
    return "SHA-1";
  }
}
