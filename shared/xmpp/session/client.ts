// The XMPP client Desktop Chat signs in with: xmpp.js's core and the plugins
// a sign-in needs (stream features, SASL, resource binding, iq), composed
// here rather than through @xmpp/client, whose factory also loads what we
// never use (stream management, SASL2/FAST, reconnect, ANONYMOUS; about 3 KB
// gzip of the element). Added: the BOSH transport for http(s):// services,
// SCRAM on Web Crypto with the server signature checked before the stream
// restarts (RFC 5802 §3, which @xmpp/sasl skips), PLAIN only where the
// password is protected, and errors mapped to our hierarchy.
//
// Reconnection belongs to the caller (backoff, failover to the secondary
// node), which is also why there is no XEP-0198: xmpp.js resumes a stream
// only through its own reconnect, and over BOSH the rid replay is the
// reliability layer (resuming there breaks Prosody 0.12, xmppjs-bosh-notes §2).
import { type Client, jid, xml } from "@xmpp/client-core";
import iqCaller from "@xmpp/iq/caller.js";
import middleware from "@xmpp/middleware";
import resourceBinding from "@xmpp/resource-binding";
import sasl from "@xmpp/sasl";
import streamFeatures from "@xmpp/stream-features";
import websocket from "@xmpp/websocket";
import SASLFactory from "saslmechanisms";
import {
  type BoshOptions,
  boshTransport,
} from "../transport/bosh_transport.ts";
import { unsentIds } from "../transport/unsent_ids.ts";
import { AuthError, TransportError } from "../core/errors.ts";
import { ClientEntity } from "./client_entity.ts";
import { createAuthenticator, registerMechanisms } from "../auth/mod.ts";

export interface ClientOptions {
  /** http(s)://…/http-bind for BOSH, ws(s)://… for WebSocket. */
  service: string;
  /** The XMPP domain; defaults to the service's host name. */
  domain?: string;
  username: string;
  password: string;
  resource?: string;
  lang?: string;
  /** Milliseconds to wait for the stream to open or close. */
  timeout?: number;
  /** BOSH session settings for this client only (tests, benches). */
  bosh?: BoshOptions;
}

/**
 * xmpp.js's Client (as ClientEntity, client_entity.ts) with the plugins
 * `client()` sets up. Beyond xmpp.js's own API and events:
 * - `error` events always carry one of our typed errors (core/errors.ts),
 *   and start() rejects with one;
 * - `unsent` (ids: string[]): a BOSH session ended without sending these
 *   stanzas (still queued, or in requests the server never answered), by
 *   their `id`, in the order they were sent; emitted before the `error` and
 *   `disconnect` of that end. A clean sign-out reports nothing;
 * - `abort()` stops at once, without waiting for the server: a sign-in in
 *   progress rejects with TransportError `cancelled`, a BOSH session is
 *   abandoned (its unsent stanzas reported), the status becomes `offline`.
 *   `stop()` does the same when a sign-in is in progress or the connection
 *   is gone, and otherwise ends the session gracefully, within the BOSH
 *   `terminateTimeout` (1 s by default).
 */
export type XmppClient = ReturnType<typeof compose> & {
  /** The SASL mechanism the last sign-in used, e.g. "SCRAM-SHA-1". */
  readonly mechanism: string | undefined;
};

/** The plugin set of @xmpp/client's factory, less what we never use. */
function compose(
  options: ClientOptions,
  onAuthenticate: ReturnType<typeof createAuthenticator>["onAuthenticate"],
) {
  // Typed as xmpp.js's (JavaScript) Client, as the plugins see it.
  const entity: InstanceType<typeof Client> = new ClientEntity({
    service: options.service,
    domain: options.domain ?? domainOf(options.service),
    lang: options.lang,
    // Long enough for BOSH session creation to ride out a retried request.
    timeout: options.timeout ?? 10_000,
  });
  websocket({ entity });
  entity.transports.push(boshTransport(options.bosh ?? {}, {
    onUnsent: (payloads) => entity.emit("unsent", unsentIds(payloads)),
  }));
  const mw = middleware({ entity });
  const features = streamFeatures({ middleware: mw });
  const caller = iqCaller({ middleware: mw, entity });
  const saslFactory = new SASLFactory();
  registerMechanisms(saslFactory);
  // Stream features are negotiated in the order they are set up.
  sasl({ streamFeatures: features, saslFactory }, onAuthenticate);
  resourceBinding(
    { iqCaller: caller, streamFeatures: features },
    options.resource,
  );
  return Object.assign(entity, {
    middleware: mw,
    streamFeatures: features,
    iqCaller: caller,
    saslFactory,
  });
}

/** The host of a service URL, as @xmpp/client takes the domain from it. */
function domainOf(service: string): string {
  return URL.canParse(service) ? new URL(service).hostname : service;
}

export function client(options: ClientOptions): XmppClient {
  const auth = createAuthenticator({
    username: options.username,
    password: options.password,
  });
  const entity = compose(options, auth.onAuthenticate);

  // A WebSocket that drops says only "closed"; give every unexpected loss of
  // the connection the same typed error a failed BOSH session gives.
  let lossReported = false;
  entity.on("connecting", () => (lossReported = false));
  entity.on("error", (err: unknown) => {
    if (err instanceof TransportError) lossReported = true;
  });
  entity.on("disconnect", ({ clean }: { clean: boolean }) => {
    if (clean || lossReported) return;
    lossReported = true;
    entity.emit(
      "error",
      new TransportError(
        "connection-lost",
        "The connection to the chat server was lost.",
      ),
    );
  });

  Object.defineProperty(entity, "mechanism", {
    get: () => auth.lastMechanism,
  });
  return entity as XmppClient;
}

export { toXmppError } from "./xmpp_error.ts";
export { AuthError, jid, xml };
