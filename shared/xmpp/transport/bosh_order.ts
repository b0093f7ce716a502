// Keeping rid N+1 from reaching the connection manager before rid N.
//
// XEP-0124 §14 asks a connection manager to process requests in rid order
// whatever order they arrive in; ejabberd 23.01 does not always manage it:
// when N+1 arrives first it is deferred, and if N then has nothing to answer
// at once (an empty long poll, a message) N is held and N+1 stays deferred,
// both until `wait` runs out. Two requests sent a moment apart on two HTTP
// connections arrive in either order (a fresh connection's TCP/TLS handshake
// lets the later one, on a pooled connection, overtake). So a request goes
// only once every earlier one has surely arrived: its current attempt has
// been on the wire for at least one measured round trip of a request the
// server answers at once (session creation, stream restart), which includes
// any handshake; an answered or acknowledged request has arrived.
import type { BoshRequest } from "./bosh_request.ts";

export interface OrderOptions {
  /** Least milliseconds an earlier request must have been on the wire. */
  orderFloor?: number;
  /** Most milliseconds, however slow the measured round trips were. */
  orderCap?: number;
}

const DEFAULT_FLOOR = 2;
const DEFAULT_CAP = 2_000;

export class ArrivalGuard {
  readonly #floor: number;
  readonly #cap: number;
  #roundTrip = 0;

  constructor(options: OrderOptions = {}) {
    this.#floor = options.orderFloor ?? DEFAULT_FLOOR;
    this.#cap = options.orderCap ?? DEFAULT_CAP;
  }

  /** Records the round trip of a request the server answers at once. */
  observe(ms: number): void {
    if (ms > this.#roundTrip) this.#roundTrip = ms;
  }

  /** Milliseconds a request must have been on the wire to have arrived. */
  get margin(): number {
    return Math.min(Math.max(this.#floor, this.#roundTrip), this.#cap);
  }

  /**
   * Milliseconds to wait before a new request cannot overtake any of
   * `inflight` (0: go now). Infinity while one of them waits to be retried:
   * its next attempt must go first, and sending it will ask again.
   */
  delay(inflight: Iterable<BoshRequest>, now: number): number {
    let wait = 0;
    for (const req of inflight) {
      // The server said it has it (§9.1 ack, or its answer to the request
      // before it, bosh_scheduler.ts).
      if (req.acknowledged) continue;
      if (!req.abort) return Infinity;
      wait = Math.max(wait, req.sentAt + this.margin - now);
    }
    return wait;
  }
}
