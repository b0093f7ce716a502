// The BOSH scheduler (XEP-0124): one session, its rids, the requests in
// flight and the queue of payload waiting for a free connection. It knows
// nothing of xmpp.js; bosh_socket.ts adapts it to xmpp.js's Socket interface.
//
// Guarantees the rest of the client relies on:
// - every payload handed to `send` is delivered or the session fails with a
//   TransportError: nothing is dropped silently;
// - payload queued in the same tick travels in one <body/>;
// - responses are delivered in rid order, whatever order HTTP returns them in;
// - once open, one request is always held by the server (the long poll).
import {
  type BoshResponse,
  intAttr,
  parseBody,
  requestBody,
  sessionCreationBody,
} from "./bosh_body.ts";
import {
  httpStatusError,
  terminateError,
  unreachableError,
} from "./bosh_errors.ts";
import type { TransportError } from "../core/errors.ts";
import { readBoshBody } from "./bosh_http.ts";

export type RequestKind = "create" | "restart" | "payload" | "terminate";

/** Per-request state: rid, what it carries, its attempts and its abort. */
export interface BoshRequest {
  readonly rid: number;
  readonly kind: RequestKind;
  readonly body: string;
  attempts: number;
  sentAt: number;
  /** XEP-0124 §9.1: the connection manager has acknowledged receiving it. */
  acknowledged: boolean;
  abort?: AbortController;
  timer?: ReturnType<typeof setTimeout>;
}

export interface BoshSessionOptions {
  url: string;
  to: string;
  lang?: string;
  /** Seconds the server may hold a request (XEP-0124 §7.1). */
  wait?: number;
  hold?: number;
  /** Retries of one failed HTTP request before the session fails. */
  maxRetries?: number;
  /** Milliseconds to wait before retry number `attempt` (1-based). */
  retryDelay?: (attempt: number) => number;
  /** Extra milliseconds beyond `wait` before a held request counts as lost. */
  requestGrace?: number;
  fetch?: typeof fetch;
  /** Initial rid; random by default (XEP-0124 §14). */
  rid?: number;
}

export interface BoshSessionHandlers {
  /** A response, in rid order, with the kind of request it answers. */
  onResponse(kind: RequestKind, response: BoshResponse): void;
  /** The session ended: `error` is undefined for a clean terminate. */
  onEnd(error?: TransportError): void;
}

export type BoshSessionState =
  | "idle"
  | "creating"
  | "open"
  | "terminating"
  | "ended";

const DEFAULT_WAIT = 60;

function defaultRetryDelay(attempt: number): number {
  // Exponential backoff 250 ms, 500 ms, 1 s, 2 s: a blip is ridden out, a
  // dead server is reported within a few seconds.
  return Math.min(250 * 2 ** (attempt - 1), 4000);
}

/** XEP-0124 §14: a random initial rid far enough below 2^53 to never wrap. */
export function randomRid(): number {
  const words = crypto.getRandomValues(new Uint32Array(2));
  return (words[0] & 0xfffff) * 2 ** 32 + words[1] + 1;
}

export class BoshSession {
  readonly url: string;
  state: BoshSessionState = "idle";
  sid?: string;
  /** Server parameters from the session creation response (XEP-0124 §7.2). */
  requests = 2;
  hold: number;
  wait: number;
  inactivity?: number;
  polling = 0;
  serverAcks = false;

  #opts: BoshSessionOptions;
  #handlers: BoshSessionHandlers;
  #fetch: typeof fetch;
  #nextRid: number;
  #queue: string[] = [];
  #restart?: { to: string; lang?: string };
  #terminate = false;
  #flushScheduled = false;
  #pollTimer?: ReturnType<typeof setTimeout>;
  readonly #inflight = new Map<number, BoshRequest>();
  /** Responses that arrived ahead of an earlier rid, waiting their turn. */
  readonly #arrived = new Map<
    number,
    { kind: RequestKind; res: BoshResponse }
  >();
  #nextDeliver: number;

  constructor(options: BoshSessionOptions, handlers: BoshSessionHandlers) {
    this.#opts = options;
    this.#handlers = handlers;
    this.url = options.url;
    this.wait = options.wait ?? DEFAULT_WAIT;
    this.hold = options.hold ?? 1;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#nextRid = options.rid ?? randomRid();
    this.#nextDeliver = this.#nextRid;
  }

  get inflight(): ReadonlyMap<number, BoshRequest> {
    return this.#inflight;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** XEP-0124 §7.1: create the session. */
  start(): void {
    if (this.state !== "idle") throw new Error("BOSH session already started");
    this.state = "creating";
    const rid = this.#nextRid++;
    this.#dispatch({
      rid,
      kind: "create",
      body: sessionCreationBody({
        rid,
        to: this.#opts.to,
        lang: this.#opts.lang,
        wait: this.wait,
        hold: this.hold,
      }),
      attempts: 0,
      sentAt: 0,
      acknowledged: false,
    });
  }

  /** Queues serialized stanzas; all queued in one tick share one <body/>. */
  send(payload: string): void {
    if (this.state === "ended" || this.#terminate) {
      throw new Error("BOSH session is closed");
    }
    this.#queue.push(payload);
    this.#scheduleFlush();
  }

  /** XEP-0206 §5: restart the stream after SASL success. */
  restart(to: string, lang?: string): void {
    this.#restart = { to, lang };
    this.#scheduleFlush();
  }

  /** XEP-0124 §13: send what is queued, then end the session. */
  terminate(): void {
    if (this.state === "ended" || this.#terminate) return;
    if (this.state !== "open") {
      this.#end();
      return;
    }
    this.#terminate = true;
    this.#scheduleFlush();
  }

  /** Stops everything now, without telling the server. */
  abort(): void {
    if (this.state === "ended") return;
    this.#end();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#pump();
    });
  }

  #oldestInflight(): number | undefined {
    let min: number | undefined;
    for (const rid of this.#inflight.keys()) {
      if (min === undefined || rid < min) min = rid;
    }
    return min;
  }

  /**
   * XEP-0124 §11: at most `requests` connections at once, and never a rid
   * more than `requests` ahead of the oldest unanswered one (the server
   * would reject it as out of window).
   */
  #canSend(): boolean {
    if (this.#inflight.size >= this.requests) return false;
    const oldest = this.#oldestInflight();
    return oldest === undefined || this.#nextRid - oldest < this.requests;
  }

  #pump(): void {
    if (this.state !== "open") return;
    while (this.#canSend()) {
      if (this.#restart) {
        // XEP-0206 §5: the restart request carries no payload of its own.
        const restart = this.#restart;
        this.#restart = undefined;
        this.#sendNext("restart", { restart });
        continue;
      }
      if (this.#queue.length > 0 || this.#terminate) {
        const payload = this.#queue;
        this.#queue = [];
        const terminate = this.#terminate;
        this.#sendNext(terminate ? "terminate" : "payload", {
          payload,
          terminate,
        });
        if (terminate) {
          this.state = "terminating";
          return;
        }
        continue;
      }
      // XEP-0124 §11: keep one request held so the server can push to us.
      if (this.#inflight.size === 0) this.#poll();
      return;
    }
  }

  #poll(): void {
    if (this.hold > 0 || this.polling === 0) {
      this.#sendNext("payload", {});
      return;
    }
    // XEP-0124 §12: a polling session (hold=0) spaces its empty requests.
    this.#pollTimer ??= setTimeout(() => {
      this.#pollTimer = undefined;
      if (this.#inflight.size === 0 && this.state === "open") {
        this.#sendNext("payload", {});
      }
    }, this.polling * 1000);
  }

  /** XEP-0124 §9.2: highest rid answered with all earlier rids answered. */
  #responseAck(): number {
    return this.#nextDeliver - 1;
  }

  #sendNext(
    kind: RequestKind,
    parts: {
      payload?: string[];
      restart?: { to: string; lang?: string };
      terminate?: boolean;
    },
  ): void {
    const rid = this.#nextRid++;
    const ack = this.#responseAck();
    this.#dispatch({
      rid,
      kind,
      body: requestBody({
        rid,
        sid: this.sid!,
        // Only worth saying when a response is still missing (§9.2).
        ack: ack < rid - 1 ? ack : undefined,
        ...parts,
      }),
      attempts: 0,
      sentAt: 0,
      acknowledged: false,
    });
  }

  #dispatch(req: BoshRequest): void {
    this.#inflight.set(req.rid, req);
    req.attempts++;
    req.sentAt = Date.now();
    const abort = new AbortController();
    req.abort = abort;
    const limit = (this.wait * 1000) + (this.#opts.requestGrace ?? 10_000);
    req.timer = setTimeout(() => abort.abort("timeout"), limit);
    this.#fetch(this.url, {
      method: "POST",
      headers: { "Content-Type": "text/xml; charset=utf-8" },
      body: req.body,
      signal: abort.signal,
    }).then(
      async (res) => ({ status: res.status, text: await readBoshBody(res) }),
    ).then(
      ({ status, text }) => this.#onHttpResponse(req, abort, status, text),
      (err) => this.#onHttpFailure(req, abort, err),
    );
  }

  #settle(req: BoshRequest, abort: AbortController): boolean {
    // A stale answer to an attempt we already replaced or abandoned.
    if (req.abort !== abort || this.#inflight.get(req.rid) !== req) {
      return false;
    }
    clearTimeout(req.timer);
    req.abort = undefined;
    return true;
  }

  #onHttpFailure(req: BoshRequest, abort: AbortController, err: unknown) {
    if (!this.#settle(req, abort)) return;
    this.#retry(req, unreachableError(this.url, err));
  }

  #onHttpResponse(
    req: BoshRequest,
    abort: AbortController,
    status: number,
    text: string,
  ) {
    if (!this.#settle(req, abort)) return;
    if (status >= 500 || status === 0) {
      this.#retry(req, httpStatusError(status, this.url));
      return;
    }
    if (status >= 400) {
      this.#fail(httpStatusError(status, this.url));
      return;
    }
    const parsed = parseBody(text);
    if (!("children" in parsed)) {
      // A garbled reply: the server caches its last responses (XEP-0124
      // §14.3), so asking again under the same rid recovers it.
      this.#retry(
        req,
        terminateError("bad-response", { cause: parsed }),
      );
      return;
    }
    if (parsed.type === "error") {
      // XEP-0124 §17.3 recoverable binding condition: resend the request.
      this.#retry(
        req,
        terminateError(parsed.condition ?? "undefined-condition"),
      );
      return;
    }
    this.#inflight.delete(req.rid);
    this.#onAcks(parsed);
    this.#arrived.set(req.rid, { kind: req.kind, res: parsed });
    this.#deliverInOrder();
  }

  /** XEP-0124 §9: acknowledgements and reports of missing responses. */
  #onAcks(res: BoshResponse): void {
    if (!this.serverAcks) return;
    const ack = intAttr(res.attrs, "ack");
    if (ack !== undefined) {
      for (const r of this.#inflight.values()) {
        if (r.rid <= ack) r.acknowledged = true;
      }
    }
    const report = intAttr(res.attrs, "report");
    const missing = report === undefined
      ? undefined
      : this.#inflight.get(report);
    if (missing?.abort) {
      // §9.3: the server sent a response we never got; ask for it again.
      missing.abort.abort("reported missing");
      clearTimeout(missing.timer);
      missing.abort = undefined;
      missing.attempts = 0;
      this.#dispatch(missing);
    }
  }

  #retry(req: BoshRequest, error: TransportError): void {
    const max = this.#opts.maxRetries ?? 4;
    if (this.state === "ended") return;
    if (req.attempts > max) {
      this.#fail(error);
      return;
    }
    const delay = (this.#opts.retryDelay ?? defaultRetryDelay)(req.attempts);
    // XEP-0124 §14.3: resend under the same rid with the same payload; the
    // server replays its cached answer if it had already seen it.
    req.timer = setTimeout(() => {
      if (this.state !== "ended") this.#dispatch(req);
    }, delay);
  }

  #deliverInOrder(): void {
    while (this.#arrived.has(this.#nextDeliver)) {
      const { kind, res } = this.#arrived.get(this.#nextDeliver)!;
      this.#arrived.delete(this.#nextDeliver++);
      if (!this.#deliver(kind, res)) return;
    }
    this.#pump();
  }

  /** Returns false once the session has ended. */
  #deliver(kind: RequestKind, res: BoshResponse): boolean {
    if (kind === "create") {
      if (res.type === "terminate") return this.#terminated(res);
      this.#adopt(res);
      if (this.state !== "open") {
        this.#fail(terminateError("bad-response"));
        return false;
      }
    } else if (res.type === "terminate") {
      return this.#terminated(res);
    }
    this.#handlers.onResponse(kind, res);
    if (kind === "terminate") {
      this.#end();
      return false;
    }
    return this.state !== "ended";
  }

  /** XEP-0124 §7.2: adopt the parameters of the session creation response. */
  #adopt(res: BoshResponse): void {
    const sid = res.attrs.sid;
    if (!sid) return;
    this.sid = sid;
    this.requests = Math.max(1, intAttr(res.attrs, "requests") ?? 2);
    this.hold = intAttr(res.attrs, "hold") ?? this.hold;
    this.wait = intAttr(res.attrs, "wait") ?? this.wait;
    this.inactivity = intAttr(res.attrs, "inactivity");
    this.polling = intAttr(res.attrs, "polling") ?? 0;
    // §9.1: acknowledgements only if the server echoed `ack`.
    this.serverAcks = res.attrs.ack !== undefined;
    this.state = "open";
  }

  #terminated(res: BoshResponse): false {
    if (this.state === "terminating" && !res.condition) {
      this.#end();
      return false;
    }
    // XEP-0124 §17.2: `remote-stream-error` wraps the <stream:error/>, whose
    // <text/> explains it.
    const text = res.children
      .flatMap((c) => (c.name === "text" ? [c] : c.getChildren("text")))[0]
      ?.text();
    this.#fail(terminateError(res.condition, { uri: res.uri, text }));
    return false;
  }

  #fail(error: TransportError): void {
    if (this.state === "ended") return;
    this.#end(error);
  }

  #end(error?: TransportError): void {
    this.state = "ended";
    clearTimeout(this.#pollTimer);
    for (const req of this.#inflight.values()) {
      clearTimeout(req.timer);
      req.abort?.abort("session ended");
    }
    this.#inflight.clear();
    this.#arrived.clear();
    this.#queue = [];
    this.#handlers.onEnd(error);
  }
}
