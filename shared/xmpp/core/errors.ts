// One small hierarchy for everything that can go wrong between the agent and
// the chat server. Each error carries the protocol condition it came from and a
// message an agent or admin can act on; the UI picks its wording from `kind`
// and `condition`, never from a stack trace.

export type XmppErrorKind =
  | "auth"
  | "transport"
  | "stream"
  | "stanza"
  | "timeout"
  | "parse";

export class XmppError extends Error {
  readonly kind: XmppErrorKind;
  readonly condition: string;
  readonly text?: string;

  constructor(
    kind: XmppErrorKind,
    condition: string,
    message: string,
    options: { text?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "XmppError";
    this.kind = kind;
    this.condition = condition;
    this.text = options.text;
  }
}

/** SASL failed (RFC 6120 §6.5) or could not be attempted safely. */
export class AuthError extends XmppError {
  constructor(
    condition: string,
    message: string,
    options: { text?: string; cause?: unknown } = {},
  ) {
    super("auth", condition, message, options);
    this.name = "AuthError";
  }
}

/**
 * The connection to the chat server failed: a BOSH terminal binding condition
 * (XEP-0124 §17.2), an HTTP failure that retries could not mend, or a
 * WebSocket that closed. `uri` is set for `see-other-uri`.
 */
export class TransportError extends XmppError {
  readonly uri?: string;
  readonly status?: number;

  constructor(
    condition: string,
    message: string,
    options: { text?: string; cause?: unknown; uri?: string; status?: number } =
      {},
  ) {
    super("transport", condition, message, options);
    this.name = "TransportError";
    this.uri = options.uri;
    this.status = options.status;
  }
}

/** The server closed the XML stream with an error (RFC 6120 §4.9). */
export class StreamError extends XmppError {
  constructor(
    condition: string,
    message: string,
    options: { text?: string; cause?: unknown } = {},
  ) {
    super("stream", condition, message, options);
    this.name = "StreamError";
  }
}

/**
 * An error reply to one of our stanzas (RFC 6120 §8.3), or one a handler
 * of ours answers with (the router sends only its condition, type and text,
 * so that one needs no message).
 */
export class StanzaError extends XmppError {
  readonly type: string;

  constructor(
    condition: string,
    type: string,
    message: string = condition,
    options: { text?: string; cause?: unknown } = {},
  ) {
    super("stanza", condition, message, options);
    this.name = "StanzaError";
    this.type = type;
  }
}

export class TimeoutError extends XmppError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super("timeout", "timeout", message, options);
    this.name = "TimeoutError";
  }
}

/**
 * Wire data we could not understand; parsers return it, never throw it.
 * Without a message (a stanza its reader only drops) the condition says why.
 */
export class ParseError extends XmppError {
  constructor(
    condition: string,
    message: string = condition,
    options: { cause?: unknown } = {},
  ) {
    super("parse", condition, message, options);
    this.name = "ParseError";
  }
}
