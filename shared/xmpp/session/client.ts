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
import { Client, jid, xml } from "@xmpp/client-core";
import { promise } from "@xmpp/events";
import iqCallee from "@xmpp/iq/callee.js";
import iqCaller from "@xmpp/iq/caller.js";
import middleware from "@xmpp/middleware";
import resourceBinding from "@xmpp/resource-binding";
import sasl from "@xmpp/sasl";
import streamFeatures from "@xmpp/stream-features";
import websocket from "@xmpp/websocket";
import SASLFactory from "saslmechanisms";
import type { ParserEvent } from "../transport/bosh_socket.ts";
import { ConnectionBOSH } from "../transport/bosh_transport.ts";
import {
  AuthError,
  StreamError,
  TimeoutError,
  TransportError,
  XmppError,
} from "../core/errors.ts";
import {
  authErrorFromCondition,
  createAuthenticator,
  registerMechanisms,
} from "../auth/mod.ts";

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
}

/** xmpp.js's Client with the plugins `client()` sets up. */
export type XmppClient = ReturnType<typeof compose> & {
  /** The SASL mechanism the last sign-in used, e.g. "SCRAM-SHA-1". */
  readonly mechanism: string | undefined;
};

/** The plugin set of @xmpp/client's factory, less what we never use. */
function compose(
  options: ClientOptions,
  onAuthenticate: ReturnType<typeof createAuthenticator>["onAuthenticate"],
) {
  const entity = new Client({
    service: options.service,
    domain: options.domain ?? domainOf(options.service),
    lang: options.lang,
    // Long enough for BOSH session creation to ride out a retried request.
    timeout: options.timeout ?? 10_000,
  });
  websocket({ entity });
  entity.transports.push(ConnectionBOSH);
  const mw = middleware({ entity });
  const features = streamFeatures({ middleware: mw });
  const caller = iqCaller({ middleware: mw, entity });
  const callee = iqCallee({ middleware: mw, entity });
  const saslFactory = new SASLFactory();
  registerMechanisms(saslFactory);
  // Stream features are negotiated in the order they are set up.
  sasl({ streamFeatures: features, saslFactory }, onAuthenticate);
  resourceBinding(
    { iqCaller: caller, streamFeatures: features },
    options.resource,
  );
  // XEP-0199: answer the server's pings.
  callee.get("urn:xmpp:ping", "ping", () => ({}));
  return Object.assign(entity, {
    middleware: mw,
    streamFeatures: features,
    iqCaller: caller,
    iqCallee: callee,
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
  // xmpp.js's start() creates its "online" promise before opening the
  // stream; when the open fails first (a dead server), that promise rejects
  // with nobody listening. Await both together instead.
  entity.start = async () => {
    if (entity.status !== "offline") {
      throw new Error("Connection is not offline");
    }
    const { domain, lang } = entity.options;
    await entity.connect(options.service);
    const [online] = await Promise.all([
      promise(entity, "online"),
      entity.open({ domain, lang }),
    ]);
    return online;
  };
  acceptParsedElements(entity);

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

/** What xmpp.js's Connection keeps of its socket and parser (JavaScript). */
interface ConnectionInternals {
  _onData(data: unknown): void;
  parser: { emit(event: string, element: unknown): boolean } | null;
}

/**
 * BoshSocket hands over the elements it parsed out of each <body/>
 * (bosh_socket.ts, ParserEvent); they reach the parser's listeners (stream
 * start, stanzas, stream end) as if the parser had read them, so a 200 KB
 * roster is parsed once, not serialized and parsed again. WebSocket text
 * still goes through the parser.
 */
function acceptParsedElements(entity: unknown): void {
  const connection = entity as ConnectionInternals;
  const parseText = connection._onData.bind(connection);
  connection._onData = (data) => {
    if (!Array.isArray(data)) {
      parseText(data);
      return;
    }
    for (const [event, element] of data as readonly ParserEvent[]) {
      // A stream error or close detaches the parser mid-answer.
      if (!connection.parser) return;
      connection.parser.emit(event, element);
    }
  };
}

/** Any failure out of xmpp.js or the platform, as one of our typed errors. */
export function toXmppError(err: unknown): XmppError {
  if (err instanceof XmppError) return err;
  if (!(err instanceof Error)) {
    return new TransportError("undefined-condition", String(err));
  }
  const condition = (err as { condition?: unknown }).condition;
  const text = (err as { text?: unknown }).text;
  if (err.name === "SASLError" && typeof condition === "string") {
    return authErrorFromCondition(
      condition,
      typeof text === "string" ? text : undefined,
    );
  }
  if (err.name === "StreamError" && typeof condition === "string") {
    return new StreamError(
      condition,
      `The chat server closed the connection (${condition}).`,
      { text: typeof text === "string" ? text : undefined, cause: err },
    );
  }
  // @xmpp/websocket's socket errors carry the DOM event and the URL.
  const url = (err as { url?: unknown }).url;
  if (typeof url === "string" && "event" in err) {
    return new TransportError(
      "connection-lost",
      `The connection to the chat server at ${url} failed (${err.message}).`,
      { cause: err },
    );
  }
  if (err.name === "TimeoutError") {
    return new TimeoutError("The chat server did not answer in time.", {
      cause: err,
    });
  }
  return new TransportError("undefined-condition", err.message, {
    cause: err,
  });
}

export { AuthError, jid, xml };
