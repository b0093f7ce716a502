// The BOSH transport for xmpp.js (XEP-0124 + XEP-0206). Like the WebSocket
// transport it subclasses, it only knows its framing; the Socket does the
// HTTP. `Client._findTransport` picks it for http:// and https:// services.
//
// xmpp.js reads `Transport.prototype.Socket` and `.Parser` and creates both
// without arguments (client-core Client.js `connect`), so each client gets
// its own transport class whose Socket and Parser are bound to that client's
// options: nothing global is configured or mutated.
import ConnectionWebSocket from "@xmpp/websocket/lib/Connection.js";
import { BatchHandoff, BoshParser } from "./bosh_parser.ts";
import type { BoshSessionOptions } from "./bosh_session.ts";
import { BoshSocket } from "./bosh_socket.ts";

export type BoshOptions = Partial<
  Omit<BoshSessionOptions, "url" | "to" | "lang">
>;

export interface BoshTransportHooks {
  /** The serialized stanzas a BOSH session ended without sending. */
  onUnsent(payloads: string[]): void;
}

export type BoshTransport = typeof ConnectionWebSocket;

/** A transport class for one client, its sockets built with `options`. */
export function boshTransport(
  options: BoshOptions,
  hooks: BoshTransportHooks,
): BoshTransport {
  const handoff = new BatchHandoff();
  const context = { options, handoff, onUnsent: hooks.onUnsent };

  class Socket extends BoshSocket {
    constructor() {
      super(context);
    }
  }

  class Parser extends BoshParser {
    constructor() {
      super(handoff);
    }
  }

  return class ConnectionBOSH extends ConnectionWebSocket {
    socketParameters(service: string): string | undefined {
      return /^https?:\/\//i.test(service) ? service : undefined;
    }

    get Socket(): typeof Socket {
      return Socket;
    }

    get Parser(): typeof Parser {
      return Parser;
    }
  };
}
