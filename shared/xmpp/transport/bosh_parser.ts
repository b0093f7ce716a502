// The BOSH transport's Parser for xmpp.js. A BOSH answer is parsed once, by
// parseBody (bosh_body.ts); its elements must not be serialized and parsed
// again (a 200 KB roster would be parsed twice). xmpp.js's Connection feeds
// its parser with what the socket's `data` event carries, as a string
// (`parser.write(data.toString())`), and creates the parser itself
// (`new this.Parser()`), so the socket and the parser of one transport share
// a BatchHandoff: the socket puts the parsed events there and emits their
// key; the parser takes them by that key and emits them to the connection.
import type { EventEmitter as NodeEventEmitter } from "node:events";
import { EventEmitter as XmppEventEmitter } from "@xmpp/events";
import type { Element } from "@xmpp/xml";
import { ParseError } from "../core/errors.ts";

// @xmpp/events re-exports npm "events" (Node's API, browser-safe; the browser
// bundle gets core/event_emitter.ts in its place, scripts/build.ts); its JS
// carries no types, so borrow Node's.
export const EventEmitter =
  XmppEventEmitter as unknown as typeof NodeEventEmitter;

/**
 * One parsed element, as the event xmpp.js's framed parser would emit for it
 * (`start` for the RFC 7395 <open/>, `end` for <close/>).
 */
export type ParserEvent = readonly ["start" | "element" | "end", Element];

/** Parsed answers on their way from a socket to its connection's parser. */
export class BatchHandoff {
  #serial = 0;
  #key = "";
  #events: readonly ParserEvent[] = [];

  /** Holds `events` and returns the key the parser will take them by. */
  put(events: readonly ParserEvent[]): string {
    this.#key = `bosh-batch-${++this.#serial}`;
    this.#events = events;
    return this.#key;
  }

  take(key: string): readonly ParserEvent[] | undefined {
    if (key !== this.#key) return undefined;
    const events = this.#events;
    this.#key = "";
    this.#events = [];
    return events;
  }
}

/** A parser of already-parsed events, bound to one transport's handoff. */
export class BoshParser extends EventEmitter {
  readonly #handoff: BatchHandoff;

  constructor(handoff: BatchHandoff) {
    super();
    this.#handoff = handoff;
  }

  write(data: string): void {
    const events = this.#handoff.take(data);
    if (!events) {
      this.emit(
        "error",
        new ParseError(
          "unexpected-data",
          "The BOSH connection received data it did not parse itself.",
        ),
      );
      return;
    }
    for (const [event, element] of events) this.emit(event, element);
  }
}
