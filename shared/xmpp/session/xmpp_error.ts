// The one place where failures out of xmpp.js and the platform become our
// typed errors (core/errors.ts), each with a message an agent can act on.
// The client (client.ts) passes every error it emits or rejects with
// through here, so nothing untyped leaves the core.
import {
  StreamError,
  TimeoutError,
  TransportError,
  XmppError,
} from "../core/errors.ts";
import { authErrorFromCondition } from "../auth/auth_errors.ts";

/** What the normaliser may mention in its messages. */
export interface ErrorContext {
  /** The chat server address the client was talking to. */
  service?: string;
  /** Milliseconds the client waited before giving up. */
  timeout?: number;
}

function stringProp(err: Error, name: string): string | undefined {
  const value = (err as unknown as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function at(context: ErrorContext): string {
  return context.service ? ` at ${context.service}` : "";
}

/** Any failure out of xmpp.js or the platform, as one of our typed errors. */
export function toXmppError(
  err: unknown,
  context: ErrorContext = {},
): XmppError {
  if (err instanceof XmppError) return err;
  if (!(err instanceof Error)) {
    return new TransportError("undefined-condition", String(err));
  }
  const condition = stringProp(err, "condition");
  const text = stringProp(err, "text");
  // @xmpp/sasl's SASLError (RFC 6120 §6.5).
  if (err.name === "SASLError" && condition) {
    return authErrorFromCondition(condition, text, { cause: err });
  }
  // @xmpp/connection's StreamError (RFC 6120 §4.9.3), e.g. a graceful
  // server shutdown over WebSocket (`system-shutdown`).
  if (err.name === "StreamError" && condition) {
    return new StreamError(
      condition,
      condition === "system-shutdown"
        ? "The chat server is shutting down. Sign in again in a moment."
        : `The chat server closed the connection (${condition}).`,
      { text, cause: err },
    );
  }
  // @xmpp/websocket's socket errors carry the DOM event and the URL; their
  // message is the platform's ("Unexpected EOF" in Deno when the server
  // drops the connection).
  const url = stringProp(err, "url");
  if (url !== undefined && "event" in err) {
    return new TransportError(
      "connection-lost",
      `The connection to the chat server at ${url} was lost (${err.message}).`,
      { cause: err },
    );
  }
  // @xmpp/events' TimeoutError, which has no message.
  if (err.name === "TimeoutError") {
    const seconds = context.timeout
      ? ` within ${Math.round(context.timeout / 1000)} s`
      : "";
    return new TimeoutError(
      `The chat server${at(context)} did not answer${seconds}. Check that ` +
        "it is running and reachable, then try again.",
      { cause: err },
    );
  }
  // @xmpp/connection refuses to write once the stream is closing (RFC 6120
  // §4.4) and fails on a connection whose socket is gone.
  if (
    err.message === "Connection is closing" ||
    (err instanceof TypeError && /null|undefined/.test(err.message))
  ) {
    return new TransportError(
      "connection-closed",
      "The connection to the chat server is closed. Sign in again.",
      { cause: err },
    );
  }
  return new TransportError("undefined-condition", err.message, {
    cause: err,
  });
}
