// Counts failed sign-ins per key (a client IP, a user name) in a sliding
// window. In memory: a restart forgets the counts, and each service
// instance counts on its own.

export interface LoginThrottleOptions {
  /** Failures allowed inside the window; the next attempt is refused. */
  readonly maxFailures: number;
  readonly windowMs: number;
  readonly now?: () => number;
  /** Bounds memory when an attacker sprays fresh keys; the oldest are dropped first. */
  readonly maxKeys?: number;
}

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(private readonly options: LoginThrottleOptions) {
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /** Seconds until an attempt is allowed for all `keys`, or 0 when it is allowed now. */
  retryAfterSeconds(keys: readonly string[]): number {
    const now = this.#now();
    let waitMs = 0;
    for (const key of keys) {
      const recent = this.#recent(key, now);
      if (recent.length >= this.options.maxFailures) {
        // The attempt is allowed again once enough old failures leave the window.
        const freeing = recent[recent.length - this.options.maxFailures];
        waitMs = Math.max(waitMs, freeing + this.options.windowMs - now);
      }
    }
    return Math.ceil(waitMs / 1000);
  }

  recordFailure(keys: readonly string[]): void {
    const now = this.#now();
    for (const key of keys) {
      const recent = this.#recent(key, now);
      recent.push(now);
      // Re-inserted so the map's order stays least-recently-failed first.
      this.#failures.delete(key);
      this.#failures.set(key, recent.slice(-this.options.maxFailures));
    }
    for (const oldest of this.#failures.keys()) {
      if (this.#failures.size <= this.#maxKeys) break;
      this.#failures.delete(oldest);
    }
  }

  reset(keys: readonly string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }

  #recent(key: string, now: number): number[] {
    const times = this.#failures.get(key) ?? [];
    return times.filter((time) => time > now - this.options.windowMs);
  }
}
