// Adapts a BoshSession to the Socket interface xmpp.js's Connection expects
// (`connect`, `write`, `end`; events `connect`, `data`, `close`, `error`),
// speaking RFC 7395 framing: what the connection writes is framed as for a
// WebSocket, so the stream header becomes a session creation or restart
// request and `<close/>` becomes `type='terminate'`; what it reads arrives
// already parsed, through the transport's BatchHandoff (bosh_parser.ts).
import { Element, Parser } from "@xmpp/xml";
import type { BoshResponse } from "./bosh_body.ts";
import {
  BoshSession,
  type BoshSessionOptions,
  type RequestKind,
} from "./bosh_session.ts";
import { TransportError } from "../core/errors.ts";
import {
  type BatchHandoff,
  EventEmitter,
  type ParserEvent,
} from "./bosh_parser.ts";
import { isSecureService } from "./secure_service.ts";

const NS_FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

/** What one transport's sockets share besides their session options. */
export interface SocketContext {
  options: Partial<BoshSessionOptions>;
  handoff: BatchHandoff;
  /** The serialized stanzas a session ended without sending. */
  onUnsent(payloads: string[]): void;
}

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
    // Not a frame we wrote: send it on as payload, the server judges it.
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
  readonly #context: SocketContext;
  #closed = false;
  #ending = false;

  constructor(context: SocketContext) {
    super();
    this.#context = context;
  }

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
      if (!this.session) {
        throw new TransportError(
          "connection-closed",
          "The connection to the chat server is closed.",
        );
      }
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
      {
        ...this.#context.options,
        url: this.url!,
        to: frame.to,
        lang: frame.lang,
      },
      {
        onResponse: (kind, res) => this.#onResponse(kind, res),
        onEnd: (error, unsent) => this.#onEnd(error, unsent),
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
    if (events.length > 0) this.#emitEvents(events);
  }

  /** Hands parsed events to the connection's parser (bosh_parser.ts). */
  #emitEvents(events: readonly ParserEvent[]): void {
    try {
      this.emit("data", this.#context.handoff.put(events));
    } catch (err) {
      // A listener failed on this answer (e.g. the connection has no parser
      // any more); the session itself is fine, so report and go on.
      this.emit("error", err);
    }
  }

  #onEnd(error: TransportError | undefined, unsent: string[]): void {
    if (unsent.length > 0) this.#context.onUnsent(unsent);
    if (error) {
      this.emit("error", error);
      this.#close(true, error);
      return;
    }
    // The session ended as we asked (whichever request carried the
    // server's answer): that is the end of the stream for the parser.
    if (!this.#ending) {
      this.#emitEvents([["end", new Element("close", { xmlns: NS_FRAMING })]]);
    }
  }

  #close(dirty: boolean, reason?: unknown): void {
    if (this.#closed) return;
    this.#closed = true;
    this.session = null;
    this.emit("close", dirty, reason);
  }

  /** Closes at once: a session still open is abandoned (XEP-0124 §13 unsent). */
  end(): void {
    this.#ending = true;
    this.session?.abort();
    queueMicrotask(() => this.#close(false));
  }
}
