// The AuthErrors an agent reads when sign-in fails: from a SCRAM exchange
// that went wrong on our side of the wire, and from the server's <failure/>
// conditions (RFC 6120 §6.5).

import { cleanText } from "../core/display_text.ts";
import { AuthError } from "../core/errors.ts";
import type { ScramError } from "./scram_result.ts";

export function scramAuthError(error: ScramError): AuthError {
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
    "account. Enable SCRAM-SHA-512 or SCRAM-SHA-256 on the chat server.",
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
  // The server's condition and text end up in the sign-in form's message:
  // one line each, bounded, no controls or bidi overrides to reorder it.
  const base = Object.hasOwn(FAILURE_MESSAGES, condition)
    ? FAILURE_MESSAGES[condition]
    : `The chat server refused sign-in (${cleanText(condition, 64)}).`;
  const said = text === undefined ? "" : cleanText(text, 200);
  const message = said ? `${base} The server said: "${said}"` : base;
  return new AuthError(condition, message, { text, cause: options.cause });
}
