// Connection slots: a bound per client address and one in total, so one
// address (or a crowd of them) cannot hold every connection the service
// has, and a log of refusals that a flood cannot flood.

export type SlotRefusal = "address" | "total";

export interface SlotLimits {
  readonly maxConnectionsPerAddress: number;
  readonly maxConnections: number;
}

export class AddressSlots {
  readonly #open = new Map<string, number>();
  #total = 0;

  constructor(readonly limits: SlotLimits) {}

  /** Takes a slot, or says which bound is full. `exempt` skips the per-address one. */
  acquire(address: string, exempt: boolean): SlotRefusal | undefined {
    if (this.#total >= this.limits.maxConnections) return "total";
    const open = this.#open.get(address) ?? 0;
    if (!exempt && open >= this.limits.maxConnectionsPerAddress) {
      return "address";
    }
    this.#open.set(address, open + 1);
    this.#total++;
    return undefined;
  }

  release(address: string): void {
    const open = this.#open.get(address) ?? 0;
    if (open <= 1) this.#open.delete(address);
    else this.#open.set(address, open - 1);
    this.#total = Math.max(0, this.#total - 1);
  }

  get total(): number {
    return this.#total;
  }
}

/**
 * Logs at most one line per `windowMs`; the lines it held back are counted
 * in the next one it writes.
 */
export class RateLimitedLog {
  #last = -Infinity;
  #held = 0;

  constructor(
    readonly log: (line: string) => void,
    readonly windowMs: number,
    readonly now: () => number = () => performance.now(),
  ) {}

  write(line: string): void {
    const now = this.now();
    if (now - this.#last < this.windowMs) {
      this.#held++;
      return;
    }
    const held = this.#held === 0
      ? ""
      : ` (${this.#held} more like it not logged since the last)`;
    this.log(`${line}${held}`);
    this.#last = now;
    this.#held = 0;
  }
}
