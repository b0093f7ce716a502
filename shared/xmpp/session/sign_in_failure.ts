// Why a sign-in failed, in the terms the view words its message in (seed:
// "Sign In"): the typed error says what happened, the kind what the agent
// can do about it.
import { AuthError, XmppError } from "../core/errors.ts";
import type { Attempt } from "../discovery/server_discovery.ts";

/**
 * - credentials: the server refused the username or password;
 * - certificate: an https or wss node could not be reached, which in a
 *   browser is also what an untrusted (self-signed) certificate looks like:
 *   the agent opens the node's https page in a tab, accepts the
 *   certificate, then retries;
 * - unreachable: no node answered;
 * - settings: the desktop service's chat settings could not be read;
 * - input: the username is not usable;
 * - lost: the connection dropped after sign-in;
 * - server: anything else the server said.
 */
export type SignInFailureKind =
  | "credentials"
  | "certificate"
  | "unreachable"
  | "settings"
  | "input"
  | "lost"
  | "server";

export interface SignInFailure {
  readonly kind: SignInFailureKind;
  readonly error: Error;
  /** The chat server concerned, for the certificate link. */
  readonly service?: string;
}

export function classifyFailure(
  error: unknown,
  attempts: readonly Attempt[],
): SignInFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  if (err instanceof AuthError && err.condition === "not-authorized") {
    return { kind: "credentials", error: err };
  }
  if (!(err instanceof XmppError)) return { kind: "server", error: err };
  if (err.kind === "transport" || err.kind === "timeout") {
    // A browser reports a certificate it does not trust as a bare network
    // failure; an https node that failed that way gets the certificate link.
    const unreached = attempts.filter((attempt) =>
      attempt.error?.condition === "unreachable"
    );
    const https = unreached.find((attempt) =>
      attempt.service.startsWith("https:") ||
      attempt.service.startsWith("wss:")
    );
    if (https) {
      return { kind: "certificate", error: err, service: https.service };
    }
    if (err.condition === "unreachable" || err.kind === "timeout") {
      return { kind: "unreachable", error: err };
    }
  }
  return { kind: "server", error: err };
}
