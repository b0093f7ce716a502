// SCRAM messages (RFC 5802 §7) without the cryptography: the client's two
// messages are built here and the server's two are parsed here. The server's
// are untrusted input: both parsers return a ScramResult for any string and
// never throw.

import { cleanText } from "../core/display_text.ts";
import { base64ToBytes, bytesToBase64 } from "./sasl_encoding.ts";
import { saslprep } from "./saslprep.ts";
import { fail, ok, type ScramResult } from "./scram_result.ts";

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
  /** server-first-message as received, the second part of AuthMessage. */
  readonly message: string;
}

/** The server's ServerSignature as it sent it in `v=` (RFC 5802 §3). */
export interface ServerFinal {
  readonly verifier: Uint8Array<ArrayBuffer>;
}

// RFC 7677 §4 and RFC 5802 §9: fewer than 4096 rounds is a downgrade.
export const MIN_ITERATIONS = 4096;
// A hostile server could make us spin on PBKDF2. Two million is above the
// OWASP 2023 figures (600k for SHA-256, 1.3M for SHA-1, 210k for SHA-512) and
// takes about half a second for SHA-1 in Deno's Web Crypto; beyond that we
// refuse.
export const MAX_ITERATIONS = 2_000_000;

// RFC 5802 §5.1: without channel binding the gs2 header is "n,,", and `c=` is
// its base64 ("biws"). Browsers expose no TLS channel binding, so no -PLUS.
const GS2_HEADER = "n,,";
const NONCE_BYTES = 18;
// RFC 5802 §7: printable = %x21-2B / %x2D-7E, i.e. visible ASCII but ",".
const PRINTABLE = /^[\x21-\x2B\x2D-\x7E]+$/;
const POSITIVE_NUMBER = /^[1-9][0-9]*$/;
/** How much of a server-error value (e=) the message repeats. */
const SERVER_WORDS_LENGTH = 200;
const ATTRIBUTE = /^[A-Za-z]=/;

/** RFC 5802 §5.1 `n`: "," and "=" are sent as "=2C" and "=3D". */
export function escapeUsername(username: string): string {
  return username.replaceAll("=", "=3D").replaceAll(",", "=2C");
}

export function createNonce(): string {
  return bytesToBase64(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
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

/** RFC 5802 §7 client-final-message-without-proof. */
export function clientFinalWithoutProof(serverFirst: ServerFirst): string {
  return `c=${btoa(GS2_HEADER)},r=${serverFirst.nonce}`;
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
      // The count is the server's: a megabyte of digits is not repeated.
      `Iteration count ${
        count.length > 10 ? `${count.slice(0, 10)}…` : count
      } is outside ${MIN_ITERATIONS}..${MAX_ITERATIONS}.`,
    );
  }
  return ok({ nonce, salt, iterations, message });
}

// RFC 5802 §7: server-final-message = (server-error / verifier)
//   ["," extensions]
export function parseServerFinal(message: string): ScramResult<ServerFinal> {
  const [first] = message.split(",");
  if (first.startsWith("e=")) {
    // The server's words end up in the sign-in form's message: one line,
    // bounded, no controls or bidi overrides to reorder the sentence.
    const value = cleanText(first.slice(2), SERVER_WORDS_LENGTH);
    return fail(
      "server-error",
      `Server rejected the exchange: ${value || "unspecified error"}.`,
    );
  }
  if (!first.startsWith("v=")) {
    return fail(
      "malformed-message",
      "Server-final message has neither v= nor e=.",
    );
  }
  const verifier = base64ToBytes(first.slice(2));
  if (verifier === null) {
    return fail(
      "malformed-message",
      "Server signature (v=) is not valid base64.",
    );
  }
  return ok({ verifier });
}
