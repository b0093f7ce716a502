// XEP-0124 §17: what each terminal binding condition (and the legacy HTTP
// status codes of §17.1) means for the person signing in.
import { TransportError } from "../core/errors.ts";

const MESSAGES: Record<string, string> = {
  "bad-request":
    "The chat server rejected the request as malformed. Reload the page; if it persists, report it.",
  "host-gone":
    "The chat domain is no longer served by this chat server. Ask your administrator to check the chat server settings.",
  "host-unknown":
    "The chat server does not serve this chat domain. Ask your administrator to check the chat server settings.",
  "improper-addressing":
    "The chat server could not tell which chat domain was meant. Ask your administrator to check the chat server settings.",
  "internal-server-error":
    "The chat server failed internally. Try again in a moment.",
  "item-not-found":
    "The chat session has expired on the server. Sign in again.",
  "other-request":
    "The chat session was replaced by another connection. Sign in again.",
  "policy-violation":
    "The chat server refused the connection by policy (too many requests or connections). Try again later.",
  "remote-connection-failed":
    "The chat server could not reach the XMPP service behind it. Try again later or contact your administrator.",
  "remote-stream-error":
    "The XMPP service closed the stream with an error. Sign in again.",
  "see-other-uri":
    "The chat server redirected this session to another chat node.",
  "system-shutdown": "The chat server is shutting down. Try again in a moment.",
  "undefined-condition": "The chat server ended the session.",
  // Ours, not §17's: a server naming "unreachable" or "http-error" is an
  // undefined condition, not a network failure (unreachableError and
  // httpStatusError word those, with the address).
  "bad-response":
    "The chat server sent a response that is not BOSH; check the chat server address.",
};

export function terminateError(
  condition: string | undefined,
  options: { uri?: string; text?: string; cause?: unknown } = {},
): TransportError {
  const known = condition && Object.hasOwn(MESSAGES, condition);
  const cond = known ? condition : "undefined-condition";
  let message = MESSAGES[cond];
  if (!known && condition) message += ` (condition: ${condition.slice(0, 64)})`;
  if (options.text) message += ` Server said: ${options.text.slice(0, 200)}`;
  return new TransportError(cond, message, options);
}

/** XEP-0124 §17.1: legacy HTTP error codes a connection manager may use. */
export function httpStatusError(status: number, url: string): TransportError {
  const condition = status === 400
    ? "bad-request"
    : status === 403
    ? "policy-violation"
    : status === 404
    ? "item-not-found"
    : "http-error";
  const base = condition === "http-error"
    ? `The chat server at ${url} answered HTTP ${status}.`
    : MESSAGES[condition];
  return new TransportError(condition, base, { status });
}

export function unreachableError(url: string, cause: unknown): TransportError {
  return new TransportError(
    "unreachable",
    `The chat server at ${url} cannot be reached. Check the network, or that the chat server is running.`,
    { cause },
  );
}
