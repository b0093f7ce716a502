// The XmppConnection of a client() (client.ts). Incoming stanzas are taken
// from the end of xmpp.js's middleware chain, after its iq caller has taken
// the replies to our own requests; nothing in that chain answers iq
// requests any more (no iq callee): the router does (router/), so exactly
// one reply goes out, also from an async handler (RFC 6120 §8.2.3).
import { toXmppError, type XmppClient } from "./client.ts";
import {
  type ConnectionEvents,
  connectionLost,
  ensureId,
  type XmlElement,
  type XmppConnection,
} from "../core/connection.ts";
import {
  ParseError,
  StanzaError,
  TransportError,
  type XmppError,
} from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";

interface MiddlewareContext {
  readonly stanza: XmlElement;
}
type Next = () => Promise<unknown>;

const STANZAS: ReadonlySet<string> = new Set(["iq", "message", "presence"]);

/** xmpp.js's StanzaError (@xmpp/middleware) or timeout, as ours. */
export function iqError(err: unknown): XmppError {
  if (err instanceof Error && err.name === "StanzaError") {
    const { condition, text, type } = err as Error & {
      condition?: unknown;
      text?: unknown;
      type?: unknown;
    };
    const name = typeof condition === "string"
      ? condition
      : "undefined-condition";
    return new StanzaError(
      name,
      typeof type === "string" ? type : "cancel",
      `The chat server refused the request (${name}).`,
      {
        text: typeof text === "string" && text !== "" ? text : undefined,
        cause: err,
      },
    );
  }
  return toXmppError(err);
}

function notSignedIn(): TransportError {
  return new TransportError(
    "not-connected",
    "Not signed in to the chat server yet.",
  );
}

type Listeners = { [E in keyof ConnectionEvents]: Set<ConnectionEvents[E]> };

export function connectionFromClient(xmpp: XmppClient): XmppConnection {
  const listeners: Listeners = { stanza: new Set(), unsent: new Set() };

  xmpp.middleware.use((ctx: MiddlewareContext, next: Next) => {
    const { stanza } = ctx;
    if (STANZAS.has(stanza.name)) {
      for (const listener of [...listeners.stanza]) listener(stanza);
    }
    return next();
  });
  // The transport's report of what it never got to the server (client.ts).
  xmpp.on("unsent", (ids: string[]) => {
    for (const listener of [...listeners.unsent]) listener(ids);
  });

  // A reply cannot come once the stream is gone: the requests waiting for
  // one fail now rather than when their timeouts run out.
  const pending = new Set<(error: XmppError) => void>();
  xmpp.on("disconnect", () => {
    for (const reject of [...pending]) reject(connectionLost());
    pending.clear();
  });

  // Before sign-in completes and after the stream is gone, xmpp.js has no
  // socket to write to (its send would fail with a TypeError on null).
  function assertOnline(): void {
    if (xmpp.status !== "online" || !xmpp.socket) throw connectionLost();
  }

  /** A failure of send/iq, as ours; a lost stream as connection-lost. */
  function failure(err: unknown, asError: (err: unknown) => XmppError) {
    if (xmpp.status !== "online" || !xmpp.socket) return connectionLost(err);
    return asError(err);
  }

  return {
    get bareJid(): string {
      // Bound at the end of sign-in (RFC 6120 §7.6); String(null) would
      // parse as a JID of its own.
      if (!xmpp.jid) throw notSignedIn();
      const jid = parseJid(String(xmpp.jid));
      if (jid instanceof ParseError) throw jid;
      return jid.bare;
    },
    async send(stanza) {
      ensureId(stanza);
      assertOnline();
      try {
        await xmpp.send(stanza);
      } catch (err) {
        throw failure(err, toXmppError);
      }
    },
    iq(request, timeoutMs) {
      ensureId(request);
      try {
        assertOnline();
      } catch (err) {
        return Promise.reject(err);
      }
      return new Promise<XmlElement>((resolve, reject) => {
        pending.add(reject);
        xmpp.iqCaller.request(request, timeoutMs).then(
          resolve,
          (err: unknown) => reject(failure(err, iqError)),
        ).finally(() => pending.delete(reject));
      });
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
