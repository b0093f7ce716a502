// One place where every incoming stanza is routed: iq requests to the one
// handler registered for their payload, messages and presence to every
// handler whose match they fit. A handler answers an iq by returning (or
// resolving with) the result payload, nothing for an empty result, or a
// StanzaError (returned or thrown); the router sends exactly one reply with
// the request's id (RFC 6120 §8.2.3). What a stanza does to a store's state
// stays the store's business (pure handlers, style.md item 6); the router
// only routes.
import type { XmlElement } from "../core/connection.ts";
import { StanzaError } from "../core/errors.ts";
import { errorReply, resultReply } from "./iq_reply.ts";

export type IqType = "get" | "set";

/** The result payload, nothing for an empty result, or the error to send. */
export type IqAnswer = XmlElement | StanzaError | undefined | void;

export type IqHandler = (
  request: XmlElement,
  payload: XmlElement,
) => IqAnswer | Promise<IqAnswer>;

export type StanzaHandler = (stanza: XmlElement) => void;

/**
 * What a message or presence handler hears: stanzas with a child `name` in
 * `xmlns` (either may be left out: any child in that namespace, any child
 * of that name), or any stanza for which `test` holds. An empty match hears
 * every stanza of its kind.
 */
export type StanzaMatch =
  | { readonly xmlns?: string; readonly name?: string }
  | { readonly test: (stanza: XmlElement) => boolean };

/** Where features register what they handle; each call returns its undo. */
export interface StanzaRoutes {
  iq(
    type: IqType,
    xmlns: string,
    name: string,
    handler: IqHandler,
  ): () => void;
  message(match: StanzaMatch, handler: StanzaHandler): () => void;
  presence(match: StanzaMatch, handler: StanzaHandler): () => void;
}

/** Sends a reply on the connection the request came in on. */
export type ReplySender = (reply: XmlElement) => Promise<void>;

export interface StanzaRouter extends StanzaRoutes {
  /**
   * Routes one incoming stanza. Message and presence handlers have run when
   * this returns; the promise settles once an iq request's reply is sent.
   */
  route(stanza: XmlElement, reply: ReplySender): Promise<void>;
}

export interface StanzaRouterOptions {
  /**
   * A handler that threw something other than a StanzaError, or a reply
   * that could not be sent. Default: console.error, so nothing is lost.
   */
  readonly onError?: (error: unknown, stanza: XmlElement) => void;
}

interface Matcher {
  readonly match: StanzaMatch;
  readonly handler: StanzaHandler;
}

function matches(match: StanzaMatch, stanza: XmlElement): boolean {
  if ("test" in match) return match.test(stanza);
  const { xmlns, name } = match;
  if (xmlns === undefined && name === undefined) return true;
  return stanza.getChildElements().some((child) =>
    (name === undefined || child.getName() === name) &&
    (xmlns === undefined || child.getNS() === xmlns)
  );
}

function iqKey(type: string, xmlns: string, name: string): string {
  // Neither a namespace URI nor an XML name contains a space.
  return `${type} ${xmlns} ${name}`;
}

export function createStanzaRouter(
  options: StanzaRouterOptions = {},
): StanzaRouter {
  const onError = options.onError ??
    ((error: unknown, stanza: XmlElement) =>
      console.error("Desktop Chat: handling a stanza", stanza.name, error));
  const iqHandlers = new Map<string, IqHandler>();
  const handlers = {
    message: new Set<Matcher>(),
    presence: new Set<Matcher>(),
  };

  function register(
    kind: "message" | "presence",
    match: StanzaMatch,
    handler: StanzaHandler,
  ): () => void {
    // A fresh object per registration, so the same handler may be
    // registered twice and unregistered one at a time.
    const entry: Matcher = { match, handler };
    handlers[kind].add(entry);
    return () => handlers[kind].delete(entry);
  }

  function dispatch(kind: "message" | "presence", stanza: XmlElement): void {
    for (const { match, handler } of [...handlers[kind]]) {
      if (!matches(match, stanza)) continue;
      // One failing handler must not keep the stanza from the others.
      try {
        handler(stanza);
      } catch (error) {
        onError(error, stanza);
      }
    }
  }

  async function answer(stanza: XmlElement): Promise<XmlElement> {
    const payloads = stanza.getChildElements();
    // RFC 6120 §8.2.3: a get or set carries exactly one payload.
    if (payloads.length !== 1) {
      return errorReply(stanza, "bad-request", "modify");
    }
    const [payload] = payloads;
    const handler = iqHandlers.get(
      iqKey(stanza.attrs.type ?? "", payload.getNS() ?? "", payload.getName()),
    );
    // RFC 6120 §8.4: a namespace nobody here understands.
    if (handler === undefined) {
      return errorReply(stanza, "service-unavailable", "cancel");
    }
    let outcome: IqAnswer;
    try {
      outcome = await handler(stanza, payload);
    } catch (error) {
      if (error instanceof StanzaError) outcome = error;
      else {
        onError(error, stanza);
        return errorReply(stanza, "internal-server-error", "wait");
      }
    }
    return outcome instanceof StanzaError
      ? errorReply(stanza, outcome.condition, outcome.type, outcome.text)
      : resultReply(stanza, outcome ?? undefined);
  }

  return {
    iq(type, xmlns, name, handler) {
      const key = iqKey(type, xmlns, name);
      // Two answers to one request would break RFC 6120 §8.2.3; a second
      // registration is a wiring mistake, caught where it is made.
      if (iqHandlers.has(key)) {
        throw new TypeError(
          `An iq ${type} handler for {${xmlns}}${name} exists`,
        );
      }
      iqHandlers.set(key, handler);
      return () => {
        if (iqHandlers.get(key) === handler) iqHandlers.delete(key);
      };
    },
    message: (match, handler) => register("message", match, handler),
    presence: (match, handler) => register("presence", match, handler),
    route(stanza, reply) {
      if (stanza.name === "message" || stanza.name === "presence") {
        dispatch(stanza.name, stanza);
        return Promise.resolve();
      }
      const type = stanza.attrs.type;
      // A result or error is a reply to one of ours; it is never answered
      // (RFC 6120 §8.2.3), and the connection's iq() has taken it already.
      if (stanza.name !== "iq" || (type !== "get" && type !== "set")) {
        return Promise.resolve();
      }
      return answer(stanza).then(reply).catch((error: unknown) =>
        onError(error, stanza)
      );
    },
  };
}
