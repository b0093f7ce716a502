// Adapts a BoshSession to the Socket interface xmpp.js's Connection expects
// (`connect`, `write`, `end`; events `connect`, `data`, `close`, `error`),
// speaking RFC 7395 framing: what the connection writes is framed as for a
// WebSocket, so the stream header becomes a session creation or restart
// request and `<close/>` becomes `type='terminate'`; what it reads arrives
// already parsed (ParserEvent).
import type { EventEmitter as NodeEventEmitter } from "node:events";
import { EventEmitter as XmppEventEmitter } from "@xmpp/events";
import { Element, Parser } from "@xmpp/xml";
import type { BoshResponse } from "./bosh_body.ts";
import type { RequestKind } from "./bosh_session.ts";
import { BoshSession, type BoshSessionOptions } from "./bosh_session.ts";
import type { TransportError } from "../core/errors.ts";
import { isSecureService } from "./secure_service.ts";

// @xmpp/events re-exports npm "events" (Node's API, browser-safe); its JS
// carries no types, so borrow Node's.
const EventEmitter = XmppEventEmitter as unknown as typeof NodeEventEmitter;

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** Options every BoshSocket is created with; tests and benches may tune them. */
export const boshDefaults: Partial<BoshSessionOptions> = {};

/**
 * What the socket's `data` event carries: the elements of each answer, parsed
 * once by parseBody, as the events xmpp.js's framed parser would emit for them
 * (`start` for the RFC 7395 <open/>, `end` for <close/>). client.ts hands
 * them to the parser's listeners, so no answer is serialized and parsed again.
 */
export type ParserEvent = readonly ["start" | "element" | "end", Element];

type Frame =
  | { type: "open"; to: string; lang?: string }
  | { type: "close" }
  | { type: "payload" };

/** Recognises the RFC 7395 <open/>/<close/> frames Connection writes. */
export function classifyFrame(data: string): Frame {
  if (!data.startsWith("<open ") && !data.startsWith("<close ")) {
    return { type: "payload" };
  }
  let el: Element | undefined;
  const parser = new Parser();
  parser.on("start", (e: Element) => (el = e));
  try {
    parser.write(data);
  } catch {
    return { type: "payload" };
  }
  if (!el || el.attrs.xmlns !== NS_FRAMING) return { type: "payload" };
  if (el.name === "close") return { type: "close" };
  return { type: "open", to: String(el.attrs.to), lang: el.attrs["xml:lang"] };
}

export class BoshSocket extends EventEmitter {
  url: string | null = null;
  secure = false;
  session: BoshSession | null = null;
  #closed = false;
  #ending = false;

  connect(url: string): void {
    this.url = url;
    this.secure = isSecureService(url);
    // No I/O yet: the stream's `to` is only known at open() (notes §1).
    queueMicrotask(() => this.emit("connect"));
  }

  write(data: string, done?: (err?: Error) => void): void {
    let err: Error | undefined;
    try {
      this.#write(data);
    } catch (e) {
      err = e instanceof Error ? e : new Error(String(e));
    }
    if (done) queueMicrotask(() => done(err));
  }

  #write(data: string): void {
    const frame = classifyFrame(data);
    if (frame.type === "payload") {
      if (!this.session) throw new Error("BOSH stream is not open");
      this.session.send(data);
      return;
    }
    if (frame.type === "close") {
      this.session?.terminate();
      return;
    }
    if (this.session) {
      this.session.restart(frame.to, frame.lang);
      return;
    }
    this.session = new BoshSession(
      { ...boshDefaults, url: this.url!, to: frame.to, lang: frame.lang },
      {
        onResponse: (kind, res) => this.#onResponse(kind, res),
        onEnd: (error) => this.#onEnd(error),
      },
    );
    this.session.start();
  }

  #onResponse(kind: RequestKind, res: BoshResponse): void {
    const events: ParserEvent[] = [];
    if (kind === "create" || kind === "restart") {
      events.push([
        "start",
        new Element("open", {
          xmlns: NS_FRAMING,
          from: res.attrs.from,
          id: this.session?.sid,
          version: "1.0",
        }),
      ]);
    }
    for (const child of res.children) {
      events.push(["element", child]);
    }
    if (events.length > 0) this.emit("data", events);
  }

  #onEnd(error?: TransportError): void {
    if (error) {
      this.emit("error", error);
      this.#close(true, error);
      return;
    }
    // The server confirmed our terminate (whichever request carried its
    // answer): that is the end of the stream for the parser.
    if (!this.#ending) {
      const close: ParserEvent = [
        "end",
        new Element("close", { xmlns: NS_FRAMING }),
      ];
      this.emit("data", [close]);
    }
  }

  #close(dirty: boolean, reason?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.session = null;
    this.emit("close", dirty, reason);
  }

  end(): void {
    this.#ending = true;
    this.session?.abort();
    queueMicrotask(() => this.#close(false));
  }
}
