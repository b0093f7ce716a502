// One signed-in XMPP stream as the rest of the core sees it: send a stanza,
// ask an iq and wait for its answer, hear every incoming stanza, learn which
// sent stanzas never left, and know who we are. Small on purpose: stores do
// not use it directly but through a RoutedConnection (router/), whose
// router answers iq requests; unit tests plug in a scripted one
// (tests/support/fake_connection.ts), the real client connectionFromClient
// (session/client_connection.ts).
import { TransportError, XmppError } from "./errors.ts";

/**
 * The ltx element methods our parsers read (@xmpp/xml ships no types).
 * `name` is as written, prefix and all, and `attrs.xmlns` only a default
 * declared on the element itself: ejabberd relays `<cs:active
 * xmlns:cs="…"/>` as a client wrote it (Prosody rewrites it), and it is
 * the same element (Namespaces in XML §6.2). So a child is matched by
 * `getName()` and `getNS()`, which resolve both, or by getChild.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string | undefined>>;
  readonly children: ReadonlyArray<XmlElement | string>;
  /** The name without its prefix. */
  getName(): string;
  /** The namespace in scope for the element's prefix, or its default. */
  getNS(): string | undefined;
  is(name: string, xmlns?: string): boolean;
  getChild(name: string, xmlns?: string): XmlElement | undefined;
  getChildren(name: string, xmlns?: string): XmlElement[];
  getChildElements(): XmlElement[];
  getChildText(name: string, xmlns?: string): string | null;
  text(): string;
  toString(): string;
}

export type StanzaListener = (stanza: XmlElement) => void;
/** The ids of stanzas handed to send() that never reached the server. */
export type UnsentListener = (ids: readonly string[]) => void;

export interface ConnectionEvents {
  /**
   * Every incoming iq, message and presence, replies to our own iq
   * requests excepted (iq() takes those). Listeners only hear: whoever
   * routes iq requests answers them (router/stanza_router.ts).
   */
  readonly stanza: StanzaListener;
  /** The session ended with these stanzas still queued (chat: "failed"). */
  readonly unsent: UnsentListener;
}

export interface XmppConnection {
  /** The signed-in user's bare JID, lower-case (RFC 7622 §3.2, §3.3). */
  readonly bareJid: string;
  /**
   * Sends a stanza, giving it a unique id first when it has none, so a
   * later "unsent" report can name it. Rejects with a TransportError
   * (`connection-lost`) once the connection is gone.
   */
  send(stanza: XmlElement): Promise<void>;
  /**
   * Sends an iq get/set and resolves with the `result` iq. Rejects with a
   * StanzaError for an `error` reply (RFC 6120 §8.3), a TimeoutError when no
   * reply came within `timeoutMs`, or a TransportError.
   */
  iq(request: XmlElement, timeoutMs: number): Promise<XmlElement>;
  /** Returns an unsubscribe. */
  on<E extends keyof ConnectionEvents>(
    event: E,
    listener: ConnectionEvents[E],
  ): () => void;
}

/** A fresh stanza id: unique, and unguessable to other entities. */
export function stanzaId(): string {
  return crypto.randomUUID();
}

/** Gives `stanza` an id unless it has one (RFC 6120 §8.1.3); returns it. */
export function ensureId(stanza: XmlElement): string {
  const attrs = stanza.attrs as Record<string, string | undefined>;
  return attrs.id ??= stanzaId();
}

/** Milliseconds a store waits for an iq reply unless told otherwise. */
export const DEFAULT_IQ_TIMEOUT_MS = 10_000;

/** What send() and iq() reject with once the connection is gone. */
export function connectionLost(cause?: unknown): TransportError {
  return new TransportError(
    "connection-lost",
    "The connection to the chat server was lost; sign in again to continue.",
    { cause },
  );
}

/** What a connection's promises reject with, as one of our typed errors. */
export function asXmppError(err: unknown): XmppError {
  if (err instanceof XmppError) return err;
  return new TransportError(
    "undefined-condition",
    err instanceof Error ? err.message : String(err),
    { cause: err },
  );
}
