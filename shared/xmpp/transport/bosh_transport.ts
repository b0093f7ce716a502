// The BOSH transport for xmpp.js (XEP-0124 + XEP-0206). Like the WebSocket
// transport it subclasses, it only knows its framing; the Socket does the
// HTTP. `Client._findTransport` picks it for http:// and https:// services.
import ConnectionWebSocket from "@xmpp/websocket/lib/Connection.js";
import { BoshSocket } from "./bosh_socket.ts";

export class ConnectionBOSH extends ConnectionWebSocket {
  socketParameters(service: string): string | undefined {
    return /^https?:\/\//i.test(service) ? service : undefined;
  }
}

// xmpp.js reads the Socket class off the prototype (client-core Client.js).
Object.assign(ConnectionBOSH.prototype, { Socket: BoshSocket });
