// What the SCRAM functions return instead of throwing: the server's messages
// are untrusted input, so every failure is data the mechanism turns into an
// AuthError (auth_errors.ts).

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

export function ok<T>(value: T): ScramResult<T> {
  return { ok: true, value };
}

export function fail<T>(kind: ScramErrorKind, message: string): ScramResult<T> {
  return { ok: false, error: { kind, message } };
}
