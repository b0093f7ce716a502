// SCRAM client (RFC 5802) for SHA-1 and SHA-256 (RFC 7677) on Web Crypto,
// TextEncoder and btoa/atob only, so the browser build signs in without ever
// sending the password. The server's messages are untrusted input: every
// parser here returns a `ScramResult` and never throws on what it reads.

export type ScramHash = "SHA-1" | "SHA-256";

export type ScramErrorKind =
  | "invalid-credentials"
  | "malformed-message"
  | "missing-attribute"
  | "invalid-nonce"
  | "invalid-salt"
  | "invalid-iteration-count"
  | "extensions-not-supported"
  | "server-error"
  | "server-signature-mismatch";

export interface ScramError {
  readonly kind: ScramErrorKind;
  readonly message: string;
}

export type ScramResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: ScramError };

export interface ClientFirst {
  /** Our c-nonce; the server's nonce must start with it (RFC 5802 §5.1 `r`). */
  readonly nonce: string;
  /** client-first-message-bare, the first part of AuthMessage (§3). */
  readonly bare: string;
  /** gs2-header + bare, what goes on the wire. */
  readonly message: string;
}

export interface ServerFirst {
  readonly nonce: string;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly iterations: number;
  readonly message: string;
}

export interface ClientFinal {
  readonly message: string;
  /** ServerSignature the server must echo in `v=` (RFC 5802 §3). */
  readonly serverSignature: Uint8Array<ArrayBuffer>;
}

// RFC 7677 §4 and RFC 5802 §9: fewer than 4096 rounds is a downgrade.
export const MIN_ITERATIONS = 4096;
// A hostile server could make us spin on PBKDF2. Two million is above the
// OWASP 2023 figures (600k for SHA-256, 1.3M for SHA-1) and takes about half a
// second for SHA-1 in Deno's Web Crypto; beyond that we refuse.
export const MAX_ITERATIONS = 2_000_000;

// RFC 5802 §5.1: without channel binding the gs2 header is "n,,", and `c=` is
// its base64 ("biws"). Browsers expose no TLS channel binding, so no -PLUS.
const GS2_HEADER = "n,,";
const NONCE_BYTES = 18;
const HASH_BYTES: Record<ScramHash, number> = { "SHA-1": 20, "SHA-256": 32 };
// RFC 5802 §7: printable = %x21-2B / %x2D-7E, i.e. visible ASCII but ",".
const PRINTABLE = /^[\x21-\x2B\x2D-\x7E]+$/;
const BASE64 =
  /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const POSITIVE_NUMBER = /^[1-9][0-9]*$/;
const ATTRIBUTE = /^[A-Za-z]=/;

// RFC 4013 SASLprep, partly. Done: §2.1 mapping (non-ASCII spaces, RFC 3454
// C.1.2, become U+0020; "commonly mapped to nothing", B.1, are removed), §2.2
// NFKC, §2.3 prohibited output (C.2.1/C.2.2 controls, C.3 private use, C.4
// non-characters, C.5 surrogates, C.6, C.7, C.8, C.9). Not done: §2.4 bidi
// rules, and §2.5 unassigned code points (allowed anyway in RFC 4013 "query"
// strings, which is what a sign-in is); NFKC uses the engine's Unicode
// version, not 3.2, so characters added since may normalize differently from a
// strict server.
const MAP_TO_SPACE = /[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/gu;
const MAP_TO_NOTHING =
  /[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/gu;
const PROHIBITED =
  /[\p{Cc}\p{Co}\p{Cs}\p{Noncharacter_Code_Point}\u0340\u0341\u06DD\u070F\u180E\u200E\u200F\u2028\u2029\u202A-\u202E\u2061-\u2063\u206A-\u206F\u2FF0-\u2FFB\uFFF9-\uFFFD\u{1D173}-\u{1D17A}\u{E0001}\u{E0020}-\u{E007F}]/u;

const encoder = new TextEncoder();

function ok<T>(value: T): ScramResult<T> {
  return { ok: true, value };
}

function fail<T>(kind: ScramErrorKind, message: string): ScramResult<T> {
  return { ok: false, error: { kind, message } };
}

export function saslprep(input: string): ScramResult<string> {
  const prepared = input
    .replace(MAP_TO_SPACE, " ")
    .replace(MAP_TO_NOTHING, "")
    .normalize("NFKC");
  if (PROHIBITED.test(prepared)) {
    return fail(
      "invalid-credentials",
      "contains a control or otherwise prohibited character (RFC 4013 §2.3)",
    );
  }
  return ok(prepared);
}

/** RFC 5802 §5.1 `n`: "," and "=" are sent as "=2C" and "=3D". */
export function escapeUsername(username: string): string {
  return username.replaceAll("=", "=3D").replaceAll(",", "=2C");
}

export function createNonce(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Strict RFC 4648 base64 (padding required, no whitespace), or null. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64.test(text)) return null;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function createClientFirst(
  username: string,
  nonce: string = createNonce(),
): ScramResult<ClientFirst> {
  const prepared = saslprep(username);
  if (!prepared.ok) {
    return fail("invalid-credentials", `Username ${prepared.error.message}.`);
  }
  if (prepared.value === "") {
    return fail("invalid-credentials", "Username is empty.");
  }
  if (!PRINTABLE.test(nonce)) {
    return fail("invalid-nonce", "Client nonce must be printable ASCII.");
  }
  const bare = `n=${escapeUsername(prepared.value)},r=${nonce}`;
  return ok({ nonce, bare, message: GS2_HEADER + bare });
}

// RFC 5802 §7: server-first-message =
//   [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
export function parseServerFirst(
  message: string,
  clientNonce: string,
): ScramResult<ServerFirst> {
  const parts = message.split(",");
  if (parts[0].startsWith("m=")) {
    return fail(
      "extensions-not-supported",
      "Server requires a mandatory SCRAM extension (m=) we do not support.",
    );
  }
  if (parts.some((part) => !ATTRIBUTE.test(part))) {
    return fail("malformed-message", "Server-first message is not key=value.");
  }
  const [r, s, i, ...extensions] = parts;
  const expected: Array<[string | undefined, string, string]> = [
    [r, "r", "nonce"],
    [s, "s", "salt"],
    [i, "i", "iteration count"],
  ];
  for (const [part, key, label] of expected) {
    if (part === undefined || !part.startsWith(`${key}=`)) {
      return fail(
        "missing-attribute",
        `Server-first message lacks the ${label} (${key}=) in its place.`,
      );
    }
  }
  if (extensions.some((part) => /^[rsi]=/.test(part))) {
    return fail("malformed-message", "Server-first repeats an attribute.");
  }

  const nonce = r.slice(2);
  if (!PRINTABLE.test(nonce)) {
    return fail("invalid-nonce", "Server nonce has forbidden characters.");
  }
  // §5.1: the server's nonce is ours with its own part appended.
  if (!nonce.startsWith(clientNonce) || nonce.length === clientNonce.length) {
    return fail(
      "invalid-nonce",
      "Server nonce does not extend the client nonce.",
    );
  }

  const salt = base64ToBytes(s.slice(2));
  if (salt === null || salt.length === 0) {
    return fail("invalid-salt", "Salt is empty or not valid base64.");
  }

  const count = i.slice(2);
  if (!POSITIVE_NUMBER.test(count)) {
    return fail(
      "invalid-iteration-count",
      "Iteration count is not a positive number.",
    );
  }
  const iterations = count.length > 10 ? Infinity : Number(count);
  if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
    return fail(
      "invalid-iteration-count",
      `Iteration count ${count} is outside ${MIN_ITERATIONS}..${MAX_ITERATIONS}.`,
    );
  }
  return ok({ nonce, salt, iterations, message });
}

// RFC 5802 §3: SaltedPassword = Hi(password, salt, i) is PBKDF2 with HMAC as
// PRF and one block, so Web Crypto's native PBKDF2 computes it (about 1000×
// faster than an iterated HMAC in JavaScript).
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

  const withoutProof = `c=${btoa(GS2_HEADER)},r=${serverFirst.nonce}`;
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

// RFC 5802 §7: server-final-message = (server-error / verifier) ["," extensions]
export function verifyServerFinal(
  message: string,
  serverSignature: Uint8Array,
): ScramError | null {
  const [first] = message.split(",");
  if (first.startsWith("e=")) {
    const value = first.slice(2);
    return {
      kind: "server-error",
      message: `Server rejected the exchange: ${value || "unspecified error"}.`,
    };
  }
  if (!first.startsWith("v=")) {
    return {
      kind: "malformed-message",
      message: "Server-final message has neither v= nor e=.",
    };
  }
  const verifier = base64ToBytes(first.slice(2));
  if (verifier === null) {
    return {
      kind: "malformed-message",
      message: "Server signature (v=) is not valid base64.",
    };
  }
  if (!constantTimeEqual(verifier, serverSignature)) {
    return {
      kind: "server-signature-mismatch",
      message: "Server signature does not match: the server did not prove " +
        "it knows the password.",
    };
  }
  return null;
}
