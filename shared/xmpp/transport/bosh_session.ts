// One BOSH session (XEP-0124): its creation, the HTTP attempts and their
// retries, responses delivered in rid order, and its end. When each request
// goes is bosh_scheduler.ts's job. It knows nothing of xmpp.js;
// bosh_socket.ts adapts it to xmpp.js's Socket interface.
//
// Guarantees the rest of the client relies on:
// - rid N+1 never leaves before rid N has surely reached the server
//   (bosh_order.ts), so no server has to reorder our requests;
// - every payload handed to `send` is delivered, or reported unsent when the
//   session ends: nothing is dropped silently;
// - payload queued in the same tick travels in one <body/>;
// - responses are delivered in rid order, whatever order HTTP returns them in;
// - once the stream is authenticated, one request is held by the server (the
//   long poll). Before that the server only ever answers us, so no poll races
//   our SASL exchange.
import {
  type BoshResponse,
  intAttr,
  sessionCreationBody,
} from "./bosh_body.ts";
import { terminateError } from "./bosh_errors.ts";
import { TransportError } from "../core/errors.ts";
import type { OrderOptions } from "./bosh_order.ts";
import {
  type Attempt,
  type BoshRequest,
  newRequest,
  post,
  randomRid,
  type RequestKind,
} from "./bosh_request.ts";
import { judge, retryDelay, type RetryOptions } from "./bosh_retry.ts";
import { BoshScheduler } from "./bosh_scheduler.ts";

export type { BoshRequest, RequestKind };
export { randomRid };

export interface BoshSessionOptions extends RetryOptions, OrderOptions {
  url: string;
  to: string;
  lang?: string;
  /** Seconds the server may hold a request (XEP-0124 §7.1). */
  wait?: number;
  hold?: number;
  /**
   * Milliseconds a terminate may take before the session is ended without
   * the server's answer (what it carried is then reported unsent). Signing
   * out must not wait for a server that cannot answer.
   */
  terminateTimeout?: number;
  fetch?: typeof fetch;
  /** Initial rid; random by default (XEP-0124 §14). */
  rid?: number;
}

export interface BoshSessionHandlers {
  /** A response, in rid order, with the kind of request it answers. */
  onResponse(kind: RequestKind, response: BoshResponse): void;
  /**
   * The session ended: `error` is undefined for a clean end. `unsent` holds
   * the serialized stanzas still queued or in requests never answered.
   */
  onEnd(error: TransportError | undefined, unsent: string[]): void;
}

export type BoshSessionState =
  | "idle"
  | "creating"
  | "open"
  | "terminating"
  | "ended";

const DEFAULT_WAIT = 60;

export class BoshSession {
  readonly url: string;
  state: BoshSessionState = "idle";
  sid?: string;
  wait: number;
  inactivity?: number;

  readonly #opts: BoshSessionOptions;
  readonly #handlers: BoshSessionHandlers;
  readonly #fetch: typeof fetch;
  readonly #scheduler: BoshScheduler;
  /** Responses that arrived ahead of an earlier rid, waiting their turn. */
  readonly #arrived = new Map<
    number,
    { kind: RequestKind; res: BoshResponse }
  >();
  #nextDeliver: number;
  #terminateTimer?: ReturnType<typeof setTimeout>;

  constructor(options: BoshSessionOptions, handlers: BoshSessionHandlers) {
    this.#opts = options;
    this.#handlers = handlers;
    this.url = options.url;
    this.wait = options.wait ?? DEFAULT_WAIT;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    const rid = options.rid ?? randomRid();
    this.#nextDeliver = rid;
    this.#scheduler = new BoshScheduler(rid, options.hold ?? 1, options, {
      isOpen: () => this.state === "open" || this.state === "terminating",
      sid: () => this.sid ?? "",
      answeredUpTo: () => this.#nextDeliver - 1,
      waitSeconds: () => this.wait,
      dispatch: (req) => this.#dispatch(req),
    });
  }

  get inflight(): ReadonlyMap<number, BoshRequest> {
    return this.#scheduler.inflight;
  }

  get queued(): number {
    return this.#scheduler.queued;
  }

  /** Server parameters from the session creation response (§7.2). */
  get requests(): number {
    return this.#scheduler.requests;
  }

  get hold(): number {
    return this.#scheduler.hold;
  }

  get polling(): number {
    return this.#scheduler.polling;
  }

  get serverAcks(): boolean {
    return this.#scheduler.serverAcks;
  }

  /** XEP-0124 §7.1: create the session. */
  start(): void {
    if (this.state !== "idle") {
      throw new TransportError(
        "bad-request",
        "This BOSH session was already started.",
      );
    }
    this.state = "creating";
    const rid = this.#scheduler.takeRid();
    this.#dispatch(newRequest(
      rid,
      "create",
      sessionCreationBody({
        rid,
        to: this.#opts.to,
        lang: this.#opts.lang,
        wait: this.wait,
        hold: this.hold,
      }),
    ));
  }

  /** Queues serialized stanzas; all queued in one tick share one <body/>. */
  send(payload: string): void {
    if (this.state === "ended" || this.state === "terminating") {
      throw new TransportError(
        "connection-closed",
        "The connection to the chat server is closed.",
      );
    }
    this.#scheduler.enqueue(payload);
  }

  /** XEP-0206 §5: restart the stream after SASL success. */
  restart(to: string, lang?: string): void {
    this.#scheduler.restart(to, lang);
  }

  /** XEP-0124 §13: send what is queued, then end the session. */
  terminate(): void {
    if (this.state === "ended" || this.state === "terminating") return;
    if (this.state !== "open") {
      this.#end();
      return;
    }
    this.state = "terminating";
    this.#scheduler.terminate();
    this.#terminateTimer = setTimeout(
      () => this.#end(),
      this.#opts.terminateTimeout ?? 1_000,
    );
  }

  /** Stops everything now, without telling the server. */
  abort(): void {
    this.#end();
  }

  #dispatch(req: BoshRequest): void {
    this.#scheduler.track(req);
    // 10 s beyond `wait` before a held request counts as lost.
    const limit = this.wait * 1000 + 10_000;
    post(this.#fetch, this.url, req, limit, (a) => this.#onAttempt(req, a));
  }

  #onAttempt(req: BoshRequest, attempt: Attempt): void {
    if (this.state === "ended" || this.inflight.get(req.rid) !== req) return;
    const verdict = judge(attempt, this.url);
    if (verdict.action === "fail") {
      this.#end(verdict.error);
      return;
    }
    if (verdict.action === "retry") {
      const delay = retryDelay(req.attempts, this.#opts);
      if (delay === undefined) {
        this.#end(verdict.error);
        return;
      }
      // XEP-0124 §14.3: resend under the same rid with the same payload;
      // the server replays its cached answer if it had already seen it.
      req.timer = setTimeout(() => {
        if (this.state === "ended") return;
        this.#dispatch(req);
        this.#scheduler.resent();
      }, delay);
      return;
    }
    this.#scheduler.answered(req, verdict.response);
    this.#arrived.set(req.rid, { kind: req.kind, res: verdict.response });
    this.#deliverInOrder();
  }

  #deliverInOrder(): void {
    while (this.#arrived.has(this.#nextDeliver)) {
      const { kind, res } = this.#arrived.get(this.#nextDeliver)!;
      this.#arrived.delete(this.#nextDeliver++);
      if (!this.#deliver(kind, res)) return;
    }
    this.#scheduler.pump();
  }

  /** Returns false once the session has ended. */
  #deliver(kind: RequestKind, res: BoshResponse): boolean {
    if (res.type === "terminate") return this.#terminated(res);
    if (kind === "create") {
      this.#adopt(res);
      if (this.state !== "open") {
        this.#end(terminateError("bad-response"));
        return false;
      }
    }
    this.#scheduler.delivered(res);
    this.#handlers.onResponse(kind, res);
    if (kind === "terminate") {
      this.#end(undefined, true);
      return false;
    }
    return this.state !== "ended";
  }

  /** XEP-0124 §7.2: adopt the parameters of the session creation response. */
  #adopt(res: BoshResponse): void {
    const sid = res.attrs.sid;
    if (!sid) return;
    this.sid = sid;
    const s = this.#scheduler;
    s.requests = Math.max(1, intAttr(res.attrs, "requests") ?? 2);
    s.hold = intAttr(res.attrs, "hold") ?? s.hold;
    s.polling = intAttr(res.attrs, "polling") ?? 0;
    // §9.1: acknowledgements only if the server echoed `ack`.
    s.serverAcks = res.attrs.ack !== undefined;
    this.wait = intAttr(res.attrs, "wait") ?? this.wait;
    this.inactivity = intAttr(res.attrs, "inactivity");
    this.state = "open";
  }

  #terminated(res: BoshResponse): false {
    if (this.state === "terminating") {
      // We asked to end (§13): whatever condition the server gives the
      // requests it drops (ejabberd answers the held poll `other-request`),
      // the session ended as asked, and the server processed our terminate
      // after every request before it. What the answer carries is ours.
      if (res.children.length > 0) this.#handlers.onResponse("terminate", res);
      this.#end(undefined, true);
      return false;
    }
    // XEP-0124 §17.2: `remote-stream-error` wraps the <stream:error/>, whose
    // <text/> explains it.
    const text = res.children
      .flatMap((c) => (c.name === "text" ? [c] : c.getChildren("text")))[0]
      ?.text();
    this.#end(terminateError(res.condition, { uri: res.uri, text }));
    return false;
  }

  /**
   * Ends the session and reports the payload the server never answered (all
   * of it unless `allProcessed`: the server confirmed our terminate).
   */
  #end(error?: TransportError, allProcessed = false): void {
    if (this.state === "ended") return;
    this.state = "ended";
    clearTimeout(this.#terminateTimer);
    const { inflight, queued } = this.#scheduler.stop();
    this.#arrived.clear();
    const unsent = allProcessed ? queued : [...inflight, ...queued];
    this.#handlers.onEnd(error, unsent);
  }
}
