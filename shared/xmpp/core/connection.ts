// The part of a signed-in XMPP session that stores need: send a stanza, ask
// an iq and wait for its answer, hear every incoming stanza, and know who we
// are. Small on purpose, so unit tests drive a store with literal stanzas and
// the real client plugs in through connectionFromClient (client_connection.ts).
import { TransportError, XmppError } from "./errors.ts";

/** The ltx element methods our parsers read (@xmpp/xml ships no types). */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string | undefined>>;
  readonly children: ReadonlyArray<XmlElement | string>;
  is(name: string, xmlns?: string): boolean;
  getChild(name: string, xmlns?: string): XmlElement | undefined;
  getChildren(name: string, xmlns?: string): XmlElement[];
  getChildElements(): XmlElement[];
  getChildText(name: string, xmlns?: string): string | null;
  text(): string;
  toString(): string;
}

export type StanzaListener = (stanza: XmlElement) => void;

export interface XmppConnection {
  /** The signed-in user's bare JID, lower-case (RFC 7622 §3.2, §3.3). */
  readonly bareJid: string;
  send(stanza: XmlElement): Promise<void>;
  /**
   * Sends an iq get/set and resolves with the `result` iq. Rejects with a
   * StanzaError for an `error` reply (RFC 6120 §8.3), a TimeoutError when no
   * reply came within `timeoutMs`, or a TransportError.
   */
  iq(request: XmlElement, timeoutMs: number): Promise<XmlElement>;
  /**
   * Every incoming iq, message and presence. A listener answers an iq
   * get/set by calling send() with the result or error before it returns,
   * so exactly one reply goes out (RFC 6120 §8.2.3); an iq nobody answers
   * gets service-unavailable (RFC 6120 §8.4). Returns an unsubscribe.
   */
  on(event: "stanza", listener: StanzaListener): () => void;
}

/** Milliseconds a store waits for an iq reply unless told otherwise. */
export const DEFAULT_IQ_TIMEOUT_MS = 10_000;

/** What a connection's promises reject with, as one of our typed errors. */
export function asXmppError(err: unknown): XmppError {
  if (err instanceof XmppError) return err;
  return new TransportError(
    "undefined-condition",
    err instanceof Error ? err.message : String(err),
    { cause: err },
  );
}
