// The SCRAM computations of RFC 5802 §3 on Web Crypto, for SHA-1 (RFC 5802),
// SHA-256 (RFC 7677) and SHA-512 (draft-melnikov-scram-sha-512: RFC 5802 with
// SHA-512 as H and in HMAC), so the browser build signs in without ever
// sending the password.

import { saslprep } from "./saslprep.ts";
import { bytesToBase64 } from "./sasl_encoding.ts";
import {
  clientFinalWithoutProof,
  type ClientFirst,
  parseServerFinal,
  type ServerFirst,
} from "./scram_messages.ts";
import { fail, ok, type ScramError, type ScramResult } from "./scram_result.ts";

export type ScramHash = "SHA-1" | "SHA-256" | "SHA-512";

export interface ClientFinal {
  readonly message: string;
  /** ServerSignature the server must echo in `v=` (RFC 5802 §3). */
  readonly serverSignature: Uint8Array<ArrayBuffer>;
}

const HASH_BYTES: Readonly<Record<ScramHash, number>> = {
  "SHA-1": 20,
  "SHA-256": 32,
  "SHA-512": 64,
};

const encoder = new TextEncoder();

// RFC 5802 §3: SaltedPassword = Hi(password, salt, i) is PBKDF2 with HMAC as
// PRF and one block of the hash's length, so Web Crypto's native PBKDF2
// computes it (about 1000× faster than an iterated HMAC in JavaScript,
// xmppjs-bosh-notes §3).
async function hi(
  hash: ScramHash,
  password: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey(
    "raw",
    password,
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash, salt, iterations },
    key,
    HASH_BYTES[hash] * 8,
  );
  return new Uint8Array(bits);
}

async function hmac(
  hash: ScramHash,
  key: Uint8Array<ArrayBuffer>,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    key,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, data));
}

async function digest(
  hash: ScramHash,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest(hash, data));
}

export async function createClientFinal(
  hash: ScramHash,
  password: string,
  clientFirst: ClientFirst,
  serverFirst: ServerFirst,
): Promise<ScramResult<ClientFinal>> {
  const prepared = saslprep(password);
  if (!prepared.ok) {
    return fail("invalid-credentials", `Password ${prepared.error.message}.`);
  }
  if (prepared.value === "") {
    return fail("invalid-credentials", "Password is empty.");
  }

  const withoutProof = clientFinalWithoutProof(serverFirst);
  const authMessage = encoder.encode(
    `${clientFirst.bare},${serverFirst.message},${withoutProof}`,
  );
  // RFC 5802 §3, in its order of definitions.
  const saltedPassword = await hi(
    hash,
    encoder.encode(prepared.value),
    serverFirst.salt,
    serverFirst.iterations,
  );
  const clientKey = await hmac(
    hash,
    saltedPassword,
    encoder.encode("Client Key"),
  );
  const storedKey = await digest(hash, clientKey);
  const clientSignature = await hmac(hash, storedKey, authMessage);
  const clientProof = clientKey.map((byte, index) =>
    byte ^ clientSignature[index]
  );
  const serverKey = await hmac(
    hash,
    saltedPassword,
    encoder.encode("Server Key"),
  );
  const serverSignature = await hmac(hash, serverKey, authMessage);
  return ok({
    message: `${withoutProof},p=${bytesToBase64(clientProof)}`,
    serverSignature,
  });
}

// Compares every byte whatever the first difference, so the time taken does
// not tell an attacker how much of a forged `v=` was right.
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  }
  return difference === 0;
}

/**
 * RFC 5802 §5: the client MUST verify the server's `v=`; this is what proves
 * the server knows the password. Null when it matches.
 */
export function verifyServerFinal(
  message: string,
  serverSignature: Uint8Array,
): ScramError | null {
  const final = parseServerFinal(message);
  if (!final.ok) return final.error;
  if (!constantTimeEqual(final.value.verifier, serverSignature)) {
    return {
      kind: "server-signature-mismatch",
      message: "Server signature does not match: the server did not prove " +
        "it knows the password.",
    };
  }
  return null;
}
