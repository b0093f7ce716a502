// The XmppConnection of a signed-in client() (client.ts). Incoming stanzas
// are taken from xmpp.js's middleware rather than its "stanza" event: its
// iq callee answers every iq get/set, with service-unavailable when no
// handler claims it, so a store answering through send() would make two
// replies. Here a listener's answer is handed to the callee instead, and
// exactly one reply goes out (RFC 6120 §8.2.3).
import { toXmppError, type XmppClient } from "./client.ts";
import type {
  StanzaListener,
  XmlElement,
  XmppConnection,
} from "../core/connection.ts";
import { ParseError, StanzaError, type XmppError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";

interface MiddlewareContext {
  readonly stanza: XmlElement;
}
type Next = () => Promise<unknown>;

/** The reply a listener sent for the iq get/set being dispatched. */
interface Capture {
  readonly id: string | undefined;
  reply?: XmlElement;
}

const STANZAS: ReadonlySet<string> = new Set(["iq", "message", "presence"]);

function isRequest(stanza: XmlElement): boolean {
  return stanza.name === "iq" &&
    (stanza.attrs.type === "get" || stanza.attrs.type === "set");
}

function isReply(stanza: XmlElement): boolean {
  return stanza.name === "iq" &&
    (stanza.attrs.type === "result" || stanza.attrs.type === "error");
}

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

export function connectionFromClient(xmpp: XmppClient): XmppConnection {
  const listeners = new Set<StanzaListener>();
  let capture: Capture | undefined;

  function dispatch(stanza: XmlElement): void {
    for (const listener of [...listeners]) listener(stanza);
  }

  // Runs last in the chain, inside the iq callee for iq get/set. A throwing
  // listener rejects the chain, which xmpp.js reports as an "error" event.
  xmpp.middleware.use((ctx: MiddlewareContext, next: Next) => {
    const { stanza } = ctx;
    if (!STANZAS.has(stanza.name)) return next();
    if (!isRequest(stanza)) {
      dispatch(stanza);
      return next();
    }
    const current: Capture = { id: stanza.attrs.id };
    capture = current;
    try {
      dispatch(stanza);
    } finally {
      capture = undefined;
    }
    const reply = current.reply;
    if (reply === undefined) return next();
    // @xmpp/iq callee.js: an <error/> becomes an error reply, any other
    // element the result's payload, `true` an empty result.
    if (reply.attrs.type === "error") {
      return reply.getChild("error") ?? next();
    }
    return reply.getChildElements()[0] ?? true;
  });

  return {
    get bareJid(): string {
      const jid = parseJid(String(xmpp.jid));
      if (jid instanceof ParseError) throw jid;
      return jid.bare;
    },
    async send(stanza) {
      if (
        capture !== undefined && capture.reply === undefined &&
        isReply(stanza) && stanza.attrs.id === capture.id
      ) {
        capture.reply = stanza;
        return;
      }
      try {
        await xmpp.send(stanza);
      } catch (err) {
        throw toXmppError(err);
      }
    },
    async iq(request, timeoutMs) {
      try {
        return await xmpp.iqCaller.request(request, timeoutMs);
      } catch (err) {
        throw iqError(err);
      }
    },
    on(_event, listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
