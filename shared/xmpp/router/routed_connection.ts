// What stores are given: a connection whose incoming stanzas go through one
// router, and which can be moved to another connection (a new stream after
// a lost one, roadmap "failover") without the stores noticing: their
// registrations live on the router, which outlives any one connection.
import {
  type ConnectionEvents,
  connectionLost,
  type XmlElement,
  type XmppConnection,
} from "../core/connection.ts";
import {
  createStanzaRouter,
  type StanzaRouter,
  type StanzaRoutes,
} from "./stanza_router.ts";

export interface RoutedConnection extends XmppConnection {
  /** Where stores register the stanzas they handle. */
  readonly router: StanzaRoutes;
}

/** After detach(), `bareJid` is the last one read, if any. */
export interface SwitchableConnection extends RoutedConnection, Disposable {
  /** The connection stanzas go out on, undefined after detach(). */
  readonly current: XmppConnection | undefined;
  /** From now on, send and route on `connection` (detaching the last). */
  attach(connection: XmppConnection): void;
  /** Stops routing; send() and iq() reject as after a lost connection. */
  detach(): void;
}

type Listeners = { [E in keyof ConnectionEvents]: Set<ConnectionEvents[E]> };

export function routeConnection(
  connection?: XmppConnection,
  router: StanzaRouter = createStanzaRouter(),
): SwitchableConnection {
  const listeners: Listeners = { stanza: new Set(), unsent: new Set() };
  let current: XmppConnection | undefined;
  let bareJid: string | undefined;
  let unsubscribe: (() => void)[] = [];

  function live(): XmppConnection {
    if (current === undefined) throw connectionLost();
    return current;
  }

  function detach(): void {
    for (const off of unsubscribe) off();
    unsubscribe = [];
    current = undefined;
  }

  function attach(next: XmppConnection): void {
    detach();
    current = next;
    // A reply goes out on the stream its request came in on: the id is
    // only meaningful there (RFC 6120 §8.2.3).
    const reply = (stanza: XmlElement) => next.send(stanza);
    unsubscribe = [
      next.on("stanza", (stanza) => {
        void router.route(stanza, reply);
        for (const listener of [...listeners.stanza]) listener(stanza);
      }),
      next.on("unsent", (ids) => {
        for (const listener of [...listeners.unsent]) listener(ids);
      }),
    ];
  }

  if (connection !== undefined) attach(connection);

  return {
    router,
    get current() {
      return current;
    },
    // Read through, not at attach: a connection made before its sign-in
    // completes learns its JID at resource binding (RFC 6120 §7).
    get bareJid(): string {
      if (current !== undefined) bareJid = current.bareJid;
      if (bareJid === undefined) throw connectionLost();
      return bareJid;
    },
    send(stanza) {
      try {
        return live().send(stanza);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    iq(request, timeoutMs) {
      try {
        return live().iq(request, timeoutMs);
      } catch (error) {
        return Promise.reject(error);
      }
    },
    on(event, listener) {
      const set = listeners[event] as Set<typeof listener>;
      set.add(listener);
      return () => set.delete(listener);
    },
    attach,
    detach,
    [Symbol.dispose]: detach,
  };
}
