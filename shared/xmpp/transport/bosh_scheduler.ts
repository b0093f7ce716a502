// When each BOSH request goes (XEP-0124 §11, §14): the queue of payload, the
// rid counter, the requests in flight, the connection limit and rid window,
// the order guard (bosh_order.ts), the long poll and acknowledgements (§9).
// It builds requests and hands them to its host (bosh_session.ts) to post.
import { type BoshResponse, intAttr, requestBody } from "./bosh_body.ts";
import { nextTask } from "./next_task.ts";
import { ArrivalGuard, type OrderOptions } from "./bosh_order.ts";
import {
  abandon,
  type BoshRequest,
  newRequest,
  type RequestKind,
} from "./bosh_request.ts";

export interface SchedulerHost {
  /** Whether the session is open for requests other than its creation. */
  isOpen(): boolean;
  sid(): string;
  /** XEP-0124 §9.2: highest rid answered with all earlier rids answered. */
  answeredUpTo(): number;
  /** Seconds the server may hold a request (§7.2 `wait`). */
  waitSeconds(): number;
  /** Posts the request's next attempt. */
  dispatch(req: BoshRequest): void;
}

export class BoshScheduler {
  /** Server parameters from the session creation response (§7.2). */
  requests = 2;
  hold: number;
  polling = 0;
  serverAcks = false;
  readonly inflight = new Map<number, BoshRequest>();

  readonly #host: SchedulerHost;
  readonly #guard: ArrivalGuard;
  #nextRid: number;
  #queue: string[] = [];
  #restart?: { to: string; lang?: string };
  #terminate = false;
  /** The terminate request went: nothing may follow it (XEP-0124 §13). */
  #closed = false;
  /** A stream restart was asked for: SASL succeeded (XEP-0206 §5). */
  #authenticated = false;
  /** The last response delivered carried nothing the client reacts to. */
  #lastEmpty = false;
  #flushScheduled = false;
  #pumpTimer?: ReturnType<typeof setTimeout>;
  /** Cancels the poll scheduled by #maybePoll, while one is. */
  #cancelPoll?: () => void;

  constructor(
    rid: number,
    hold: number,
    order: OrderOptions,
    host: SchedulerHost,
  ) {
    this.#nextRid = rid;
    this.hold = hold;
    this.#guard = new ArrivalGuard(order);
    this.#host = host;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Whether a terminate was asked for (it may not have gone yet). */
  get terminating(): boolean {
    return this.#terminate;
  }

  /** The rid of the session creation request (§7.1): the first one. */
  takeRid(): number {
    return this.#nextRid++;
  }

  /** Records a request that is being posted. */
  track(req: BoshRequest): void {
    this.inflight.set(req.rid, req);
  }

  enqueue(payload: string): void {
    this.#queue.push(payload);
    this.#scheduleFlush();
  }

  restart(to: string, lang?: string): void {
    this.#restart = { to, lang };
    this.#authenticated = true;
    this.#scheduleFlush();
  }

  terminate(): void {
    this.#terminate = true;
    this.#scheduleFlush();
  }

  /** A retried or resent request is on the wire again. */
  resent(): void {
    this.#scheduleFlush();
  }

  /** `req` was answered with `res` (not yet delivered, §14 order). */
  answered(req: BoshRequest, res: BoshResponse): void {
    if (req.kind === "create" || req.kind === "restart") {
      // Answered at once by the server: a measure of how long a request
      // takes to arrive, fresh connection included (bosh_order.ts).
      this.#guard.observe(performance.now() - req.sentAt);
    }
    this.inflight.delete(req.rid);
    this.#onEarlyAnswer(req, res);
    this.#onAcks(res);
  }

  /** A response was delivered to the client, in rid order. */
  delivered(res: BoshResponse): void {
    this.#lastEmpty = res.children.length === 0;
  }

  /**
   * Stops every timer and attempt; returns the payload of the requests still
   * in flight (in rid order) and of the queue.
   */
  stop(): { inflight: string[]; queued: string[] } {
    this.#cancelPoll?.();
    this.#cancelPoll = undefined;
    clearTimeout(this.#pumpTimer);
    const inflight: string[] = [];
    const pending = [...this.inflight.values()].sort((a, b) => a.rid - b.rid);
    for (const req of pending) {
      abandon(req, "session ended");
      inflight.push(...req.payload);
    }
    const queued = this.#queue;
    this.inflight.clear();
    this.#queue = [];
    return { inflight, queued };
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.pump();
    });
  }

  #oldestInflight(): number | undefined {
    let min: number | undefined;
    for (const rid of this.inflight.keys()) {
      if (min === undefined || rid < min) min = rid;
    }
    return min;
  }

  /**
   * §11: at most `requests` connections at once, and never a rid `requests`
   * or more ahead of the oldest unanswered one (the server would reject it
   * as out of window).
   */
  #canSend(): boolean {
    if (this.inflight.size >= this.requests) return false;
    const oldest = this.#oldestInflight();
    return oldest === undefined || this.#nextRid - oldest < this.requests;
  }

  #hasWork(): boolean {
    return this.#restart !== undefined || this.#queue.length > 0 ||
      this.#terminate;
  }

  /** Sends what may go now; when the order guard says wait, waits. */
  pump(): void {
    // A pump waiting for an earlier request to arrive is recomputed: that
    // request may have been answered meanwhile.
    clearTimeout(this.#pumpTimer);
    this.#pumpTimer = undefined;
    if (!this.#host.isOpen() || this.#closed) return;
    while (this.#canSend()) {
      if (!this.#hasWork()) {
        this.#maybePoll();
        return;
      }
      const wait = this.#guard.delay(
        this.inflight.values(),
        performance.now(),
      );
      if (wait > 0) {
        // Infinity: a retry is pending, and resending it pumps again.
        if (wait !== Infinity) {
          this.#pumpTimer = setTimeout(() => this.pump(), wait);
        }
        return;
      }
      if (this.#restart) {
        // XEP-0206 §5: the restart request carries no payload of its own.
        const restart = this.#restart;
        this.#restart = undefined;
        this.#sendNext("restart", { restart });
        continue;
      }
      const payload = this.#queue;
      this.#queue = [];
      if (this.#terminate) {
        this.#closed = true;
        this.#sendNext("terminate", { payload, terminate: true });
        return;
      }
      this.#sendNext("payload", { payload });
    }
  }

  /**
   * §11: keep one request held so the server can push to us, once it has
   * something to push (after authentication) or when the client is waiting
   * for it. Before that the server only answers us, so no poll races the
   * SASL exchange. The poll goes one macrotask after the response that
   * emptied the line, so what the client answers synchronously or in
   * microtasks travels in the poll's place instead of racing it.
   */
  #maybePoll(): void {
    if (this.inflight.size > 0 || this.#cancelPoll) return;
    if (!this.#authenticated && !this.#lastEmpty) return;
    const poll = () => {
      this.#cancelPoll = undefined;
      if (!this.#host.isOpen()) return;
      if (this.inflight.size === 0 && !this.#hasWork()) {
        this.#sendNext("payload", {});
      } else {
        this.pump();
      }
    };
    // §12: a polling session (hold=0) spaces its empty requests.
    if (this.hold === 0 && this.polling > 0) {
      const timer = setTimeout(poll, this.polling * 1000);
      this.#cancelPoll = () => clearTimeout(timer);
      return;
    }
    this.#cancelPoll = nextTask(poll);
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
    const ack = this.#host.answeredUpTo();
    const body = requestBody({
      rid,
      sid: this.#host.sid(),
      // §9.2: only worth saying when a response is still missing.
      ack: ack < rid - 1 ? ack : undefined,
      ...parts,
    });
    this.#host.dispatch(newRequest(rid, kind, body, parts.payload));
  }

  /**
   * §11: a server holding `hold` requests answers the oldest when a new one
   * arrives. So a held request answered empty well before `wait` ran out
   * says the next request has reached the server: it can no longer be
   * overtaken, and what follows it need not wait for it (bosh_order.ts).
   */
  #onEarlyAnswer(req: BoshRequest, res: BoshResponse): void {
    if (res.children.length > 0 || res.type !== undefined) return;
    const held = performance.now() - req.sentAt;
    if (held >= this.#host.waitSeconds() * 1000 / 2) return;
    let next: BoshRequest | undefined;
    for (const r of this.inflight.values()) {
      if (r.rid > req.rid && (!next || r.rid < next.rid)) next = r;
    }
    if (next) next.acknowledged = true;
  }

  /** §9: acknowledgements and reports of missing responses. */
  #onAcks(res: BoshResponse): void {
    if (!this.serverAcks) return;
    const ack = intAttr(res.attrs, "ack");
    if (ack !== undefined) {
      for (const r of this.inflight.values()) {
        if (r.rid <= ack) r.acknowledged = true;
      }
    }
    const report = intAttr(res.attrs, "report");
    const missing = report === undefined
      ? undefined
      : this.inflight.get(report);
    if (missing?.abort) {
      // §9.3: the server sent a response we never got; ask for it again.
      abandon(missing, "reported missing");
      missing.attempts = 0;
      this.#host.dispatch(missing);
    }
  }
}
