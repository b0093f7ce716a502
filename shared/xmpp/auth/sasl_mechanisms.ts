// SASL for @xmpp/sasl 0.14.0: SCRAM-SHA-256, SCRAM-SHA-1 (scram.ts) and
// PLAIN as `saslmechanisms` classes, the policy that picks one, and an
// authenticator that checks the server's SCRAM signature, which @xmpp/sasl
// never does (it ignores the data of <success/>).
// xmpp.js reports failure by throwing, so the mechanisms turn scram.ts results
// into thrown AuthErrors; nothing here throws for any other reason.

import { AuthError } from "../core/errors.ts";
import { isSecureService } from "../transport/secure_service.ts";
import {
  base64ToBytes,
  type ClientFirst,
  createClientFinal,
  createClientFirst,
  parseServerFirst,
  saslprep,
  type ScramError,
  type ScramHash,
  type ServerFirst,
  verifyServerFinal,
} from "./scram.ts";

const NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl";

export type MechanismName = "SCRAM-SHA-256" | "SCRAM-SHA-1" | "PLAIN";

// A mechanism reports itself to the authenticator through the credentials,
// the only object that travels from `onAuthenticate` to the instance that
// `saslFactory.create` makes. @xmpp/sasl copies it with a spread, which keeps
// symbol keys, and a symbol cannot clash with its own fields.
const trackMechanism: unique symbol = Symbol("sasl_mechanisms.track");

/** What @xmpp/sasl passes to `response` (sasl/index.js:26-35). */
export interface MechanismCredentials {
  readonly username?: string | null;
  readonly password?: string | null;
  readonly authzid?: string | null;
  readonly [trackMechanism]?: (mechanism: SaslMechanism) => void;
}

/**
 * The `saslmechanisms` shape. Data in and out are "binary strings" (one char
 * per byte) because @xmpp/base64 is plain btoa/atob.
 */
export interface SaslMechanism {
  readonly name: MechanismName;
  readonly clientFirst: boolean;
  response(credentials: MechanismCredentials): Promise<string>;
  challenge(data: string): Promise<SaslMechanism>;
  /** RFC 6120 §6.4.6: checks the data of <success/>, "" when it had none. */
  checkSuccess(data: string): AuthError | null;
}

export interface SaslMechanismClass {
  new (): SaslMechanism;
  readonly prototype: SaslMechanism;
}

/** The part of `saslmechanisms`' Factory that we use. */
export interface SaslFactory {
  _mechs: Array<{ name: string }>;
  use(mechanism: SaslMechanismClass): unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

// btoa throws on any char above U+00FF, so UTF-8 must be spelled byte by byte.
function toWire(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return binary;
}

// SCRAM signs the exact bytes the server sent, so only UTF-8 that survives a
// round trip unchanged is accepted (RFC 5802 §7: messages are UTF-8).
function fromWire(binary: string): string | null {
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const text = decoder.decode(bytes);
  const again = encoder.encode(text);
  const same = again.length === bytes.length &&
    again.every((byte, index) => byte === bytes[index]);
  return same ? text : null;
}

function scramAuthError(error: ScramError): AuthError {
  switch (error.kind) {
    case "server-signature-mismatch":
      return new AuthError(
        error.kind,
        "The chat server could not prove that it knows this account's " +
          "password (SCRAM server signature mismatch, RFC 5802 §9), so " +
          "sign-in was stopped. The connection may be intercepted; check the " +
          "chat server address.",
      );
    case "invalid-credentials":
      return new AuthError(
        error.kind,
        `${error.message} Check the username and password.`,
      );
    case "server-error":
      return new AuthError(error.kind, `Sign-in failed. ${error.message}`);
    default:
      return new AuthError(
        error.kind,
        `The chat server sent an invalid SCRAM message (${error.message}), ` +
          "so sign-in was stopped.",
      );
  }
}

function unexpected(name: string, what: string): AuthError {
  return new AuthError(
    "unexpected-message",
    `The chat server sent ${what} out of order during ${name} sign-in.`,
  );
}

function prepare(label: string, value: string): string | AuthError {
  const prepared = saslprep(value);
  if (prepared.ok) return prepared.value;
  return new AuthError(
    "invalid-credentials",
    `${label} ${prepared.error.message}. Check the username and password.`,
  );
}

// RFC 4616 §2: message = [authzid] UTF8NUL authcid UTF8NUL passwd.
export class PlainMechanism implements SaslMechanism {
  get name(): MechanismName {
    return "PLAIN";
  }

  get clientFirst(): boolean {
    return true;
  }

  response(credentials: MechanismCredentials): Promise<string> {
    credentials[trackMechanism]?.(this);
    const parts = [
      prepare("Authorization identity", credentials.authzid ?? ""),
      prepare("Username", credentials.username ?? ""),
      prepare("Password", credentials.password ?? ""),
    ];
    const error = parts.find((part) => part instanceof AuthError);
    if (error) return Promise.reject(error);
    return Promise.resolve(toWire(parts.join("\0")));
  }

  // PLAIN has no challenges; answering one would resend the password.
  challenge(): Promise<SaslMechanism> {
    return Promise.reject(unexpected(this.name, "a challenge"));
  }

  checkSuccess(): AuthError | null {
    return null;
  }
}

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

// RFC 5802 §5 exchange. The password is read from the credentials when the
// proof is computed and never kept on the instance.
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
    const text = fromWire(data);
    if (text === null) {
      return Promise.reject(
        scramAuthError({
          kind: "malformed-message",
          message: "challenge is not UTF-8",
        }),
      );
    }
    if (step.name === "sent-first") {
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
    const error = text === null
      ? { kind: "malformed-message" as const, message: "data is not UTF-8" }
      : verifyServerFinal(text, step.serverSignature);
    if (error) return scramAuthError(error);
    this.#step = { name: "verified", serverSignature: step.serverSignature };
    return null;
  }
}

export class ScramSha256Mechanism extends ScramMechanism {
  get name(): MechanismName {
    return "SCRAM-SHA-256";
  }

  protected get hash(): ScramHash {
    return "SHA-256";
  }
}

export class ScramSha1Mechanism extends ScramMechanism {
  get name(): MechanismName {
    return "SCRAM-SHA-1";
  }

  protected get hash(): ScramHash {
    return "SHA-1";
  }
}

// saslmechanisms' `create` returns the first registered match, so the
// registration order is the priority order.
export function registerMechanisms(saslFactory: SaslFactory): void {
  saslFactory._mechs.length = 0;
  saslFactory.use(ScramSha256Mechanism);
  saslFactory.use(ScramSha1Mechanism);
  saslFactory.use(PlainMechanism);
}

export { isSecureService };

export function chooseMechanism(
  offered: readonly string[],
  secure: boolean,
): MechanismName | AuthError {
  if (offered.includes("SCRAM-SHA-256")) return "SCRAM-SHA-256";
  if (offered.includes("SCRAM-SHA-1")) return "SCRAM-SHA-1";
  if (offered.includes("PLAIN")) {
    if (secure) return "PLAIN";
    return new AuthError(
      "insecure-plain",
      "The chat server only offers PLAIN sign-in, which would send the " +
        "password readable over this unencrypted connection. Use an " +
        "https:// (or wss://) chat server address, or enable SCRAM-SHA-256 " +
        "on the chat server.",
    );
  }
  return new AuthError(
    "no-mechanism",
    "The chat server offers no sign-in method this client supports " +
      `(offered: ${offered.join(", ") || "none"}; supported: ` +
      "SCRAM-SHA-256, SCRAM-SHA-1, PLAIN over https). Enable SCRAM-SHA-256 " +
      "on the chat server.",
  );
}

// RFC 6120 §6.5.1-§6.5.11.
const FAILURE_MESSAGES: Readonly<Record<string, string>> = {
  "aborted": "Sign-in was aborted.",
  "account-disabled":
    "This account is disabled. Ask the chat server administrator to " +
    "enable it again.",
  "credentials-expired":
    "The password of this account has expired. Set a new one with the " +
    "chat server administrator.",
  "encryption-required":
    "The chat server requires an encrypted connection for this sign-in " +
    "method. Use an https:// chat server address.",
  "incorrect-encoding":
    "The chat server could not decode the sign-in data (incorrect base64).",
  "invalid-authzid":
    "The chat server refused the requested authorization identity.",
  "invalid-mechanism":
    "The chat server does not support the sign-in method that was chosen.",
  "malformed-request": "The chat server rejected the sign-in as malformed.",
  "mechanism-too-weak":
    "The chat server's policy requires a stronger sign-in method for this " +
    "account. Enable SCRAM-SHA-256 on the chat server.",
  "not-authorized": "Wrong username or password.",
  "temporary-auth-failure":
    "The chat server could not check the password just now. Try again " +
    "later.",
};

export function authErrorFromCondition(
  condition: string,
  text?: string,
  options: { cause?: unknown } = {},
): AuthError {
  const base = FAILURE_MESSAGES[condition] ??
    `The chat server refused sign-in (${condition}).`;
  const message = text ? `${base} The server said: "${text}"` : base;
  return new AuthError(condition, message, { text, cause: options.cause });
}

/** The ltx Element methods we read (@xmpp/xml). */
export interface SaslElement {
  is(name: string, xmlns?: string): boolean;
  text(): string;
}

/** The part of an @xmpp/client entity that `onAuthenticate` uses. */
export interface SaslEntity {
  isSecure(): boolean;
  on(event: "nonza", listener: (element: SaslElement) => void): unknown;
  removeListener(
    event: "nonza",
    listener: (element: SaslElement) => void,
  ): unknown;
}

/** @xmpp/sasl's `done` (sasl/index.js:75-82). */
export type Authenticate = (
  credentials: MechanismCredentials,
  mechanism: string,
) => Promise<void>;

/** The `credentials` option of `client()` (createOnAuthenticate.js:5-9). */
export type OnAuthenticate = (
  authenticate: Authenticate,
  mechanisms: readonly string[],
  fast: unknown,
  entity: SaslEntity,
) => Promise<void>;

export interface Authenticator {
  readonly onAuthenticate: OnAuthenticate;
  /** Text of <success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>. */
  verifySuccess(successText: string): AuthError | null;
  readonly lastMechanism: MechanismName | null;
}

// RFC 6120 §6.4.6: the additional data of <success/>.
function successText(element: SaslElement): string | null {
  return element.is("success", NS_SASL) ? element.text() : null;
}

// @xmpp/sasl throws its SASLError (sasl/lib/SASLError.js) on <failure/>.
function failureToAuthError(error: unknown): unknown {
  if (
    !(error instanceof Error) || error.name !== "SASLError" ||
    !("condition" in error) || typeof error.condition !== "string"
  ) {
    return error;
  }
  const text = "text" in error && typeof error.text === "string" && error.text
    ? error.text
    : undefined;
  return authErrorFromCondition(error.condition, text, { cause: error });
}

export function createAuthenticator(
  credentials: { readonly username: string; readonly password: string },
): Authenticator {
  let last: SaslMechanism | null = null;
  const track = (mechanism: SaslMechanism) => {
    last = mechanism;
  };

  function verifySuccess(successText: string): AuthError | null {
    if (last === null) {
      return new AuthError(
        "incomplete-exchange",
        "No sign-in exchange has started, so there is nothing to verify.",
      );
    }
    // RFC 6120 §6.4.6: no data, or "=" for data of zero length.
    const text = successText.trim();
    if (text === "" || text === "=") return last.checkSuccess("");
    if (base64ToBytes(text) === null) {
      return new AuthError(
        "incorrect-encoding",
        "The chat server's <success/> data is not valid base64, so its " +
          "signature could not be verified. Sign-in was stopped.",
      );
    }
    return last.checkSuccess(atob(text));
  }

  async function onAuthenticate(
    authenticate: Authenticate,
    mechanisms: readonly string[],
    _fast: unknown,
    entity: SaslEntity,
  ): Promise<void> {
    const mechanism = chooseMechanism(mechanisms, entity.isSecure());
    if (mechanism instanceof AuthError) throw mechanism;
    last = null;
    let success = "";
    const onNonza = (element: SaslElement) => {
      success = successText(element) ?? success;
    };
    entity.on("nonza", onNonza);
    try {
      await authenticate(
        { ...credentials, [trackMechanism]: track },
        mechanism,
      );
    } catch (error) {
      throw failureToAuthError(error);
    } finally {
      entity.removeListener("nonza", onNonza);
    }
    // @xmpp/sasl resolved on <success/>; stop here, before the stream
    // restart, if the server did not prove itself.
    const error = verifySuccess(success);
    if (error) throw error;
  }

  return {
    onAuthenticate,
    verifySuccess,
    get lastMechanism() {
      return last?.name ?? null;
    },
  };
}
