// Brakes on password guessing that cannot be turned against the
// administrator. A source address that fails too often inside the window is
// refused until its failures age out (it is the attacker's own address). A
// user name is never refused: after a few free failures every attempt for
// it, right or wrong, is answered only after a delay that doubles up to a
// cap, so the right password from a clean address always gets in.
//
// In memory: a restart forgets the counts, and each service instance counts
// on its own.
import type { LoginLimits } from "./login_limits.ts";

export type LoginVerdict =
  /** The address is refused for `retryAfterMs`; no password is checked. */
  | { readonly allowed: false; readonly retryAfterMs: number }
  /** Check the password, and hold the answer until `delayMs` have passed. */
  | { readonly allowed: true; readonly delayMs: number };

export class LoginThrottle {
  readonly #addresses: FailureLog;
  readonly #users: FailureLog;
  readonly #limits: LoginLimits;
  readonly #now: () => number;

  constructor(limits: LoginLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
    this.#addresses = new FailureLog(
      limits.windowMs,
      limits.maxFailuresPerAddress,
      limits.maxKeys,
    );
    // Enough failures to reach the cap; older ones would not change the delay.
    this.#users = new FailureLog(
      limits.windowMs,
      limits.freeFailuresPerUser + doublingsToCap(limits) + 1,
      limits.maxKeys,
    );
  }

  check(address: string, user: string): LoginVerdict {
    const now = this.#now();
    const { maxFailuresPerAddress, windowMs } = this.#limits;
    const failures = this.#addresses.recent(address, now);
    if (failures.length >= maxFailuresPerAddress) {
      // Allowed again once enough old failures leave the window.
      const freeing = failures[failures.length - maxFailuresPerAddress];
      return { allowed: false, retryAfterMs: freeing + windowMs - now };
    }
    return {
      allowed: true,
      delayMs: this.#delayAfter(this.#users.recent(userKey(user), now).length),
    };
  }

  /**
   * Counts a failure; called before the slow password check, so parallel
   * guesses cannot all slip under the limit (a success clears it again).
   */
  recordFailure(address: string, user: string): void {
    const now = this.#now();
    this.#addresses.record(address, now);
    this.#users.record(userKey(user), now);
  }

  recordSuccess(address: string, user: string): void {
    this.#addresses.forget(address);
    this.#users.forget(userKey(user));
  }

  #delayAfter(failures: number): number {
    const { freeFailuresPerUser, baseDelayMs, maxDelayMs } = this.#limits;
    const over = failures - freeFailuresPerUser;
    if (over < 0) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(over, 30));
  }
}

function doublingsToCap(limits: LoginLimits): number {
  let doublings = 0;
  while (limits.baseDelayMs * 2 ** doublings < limits.maxDelayMs) doublings++;
  return doublings;
}

// Compared without case, as an attacker could otherwise spread guesses over
// "Admin", "ADMIN", …; bounded, as the name is the attacker's text.
function userKey(user: string): string {
  return user.slice(0, 256).toLowerCase();
}

/** Failure times per key inside a sliding window, for a bounded number of keys. */
class FailureLog {
  readonly #failures = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    /** Only the newest this many failures of a key matter. */
    private readonly keep: number,
    /** Bounds memory when an attacker sprays fresh keys. */
    private readonly maxKeys: number,
  ) {}

  recent(key: string, now: number): number[] {
    const times = this.#failures.get(key) ?? [];
    return times.filter((time) => time > now - this.windowMs);
  }

  record(key: string, now: number): void {
    const recent = this.recent(key, now);
    recent.push(now);
    // Re-inserted so the map's order stays least-recently-failed first.
    this.#failures.delete(key);
    this.#failures.set(key, recent.slice(-this.keep));
    for (const oldest of this.#failures.keys()) {
      if (this.#failures.size <= this.maxKeys) break;
      this.#failures.delete(oldest);
    }
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }
}
