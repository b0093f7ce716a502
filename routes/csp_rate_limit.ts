// How many violation reports are logged: a token bucket per client address
// and one for the whole service, so neither one noisy page nor many
// addresses can flood the log. Refusals are counted and summed up in at
// most one line per address per minute.

export interface ReportLimits {
  /** Reports one address may send at once. */
  readonly burst: number;
  /** Reports per minute one address regains. */
  readonly perMinute: number;
  /** The same two for all addresses together. */
  readonly globalBurst: number;
  readonly globalPerMinute: number;
  /** Addresses remembered; the least recently seen is forgotten first. */
  readonly maxClients: number;
  /** At most one "suppressed" line per address per this interval. */
  readonly summaryIntervalMs: number;
}

export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  burst: 10,
  perMinute: 10,
  globalBurst: 100,
  globalPerMinute: 100,
  maxClients: 10_000,
  summaryIntervalMs: 60_000,
};

export type Admission =
  | { readonly admitted: true; readonly summary?: string }
  | {
    readonly admitted: false;
    /** Whole seconds until the address may report again (RFC 9110 §10.2.3). */
    readonly retryAfterSeconds: number;
    readonly summary?: string;
  };

interface Bucket {
  tokens: number;
  at: number;
}

interface Client {
  readonly bucket: Bucket;
  suppressed: number;
  summarizedAt: number;
}

export class ReportRateLimiter {
  readonly #limits: ReportLimits;
  readonly #now: () => number;
  readonly #clients = new Map<string, Client>();
  readonly #global: Bucket;

  constructor(
    limits: ReportLimits = DEFAULT_REPORT_LIMITS,
    now: () => number = Date.now,
  ) {
    this.#limits = limits;
    this.#now = now;
    this.#global = { tokens: limits.globalBurst, at: now() };
  }

  /**
   * Takes one report's token for `address` (a peer address as Deno gives
   * it). `summary`, when set, is the line to log now about the reports
   * refused since the last one.
   */
  admit(address: string): Admission {
    const now = this.#now();
    const key = clientKey(address);
    const client = this.#client(key, now);
    const limits = this.#limits;
    refill(client.bucket, now, limits.burst, limits.perMinute);
    refill(this.#global, now, limits.globalBurst, limits.globalPerMinute);
    const admitted = client.bucket.tokens >= 1 && this.#global.tokens >= 1;
    if (admitted) {
      client.bucket.tokens -= 1;
      this.#global.tokens -= 1;
    } else {
      client.suppressed += 1;
    }
    const summary = this.#summary(key, client, now);
    if (admitted) return summary ? { admitted, summary } : { admitted };
    const waitMs = Math.max(
      tokenWaitMs(client.bucket, limits.perMinute),
      tokenWaitMs(this.#global, limits.globalPerMinute),
    );
    const refusal = {
      admitted,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
    };
    return summary ? { ...refusal, summary } : refusal;
  }

  #client(key: string, now: number): Client {
    const known = this.#clients.get(key);
    // Re-inserted on every use: a Map iterates in insertion order, so the
    // first key is the least recently seen.
    if (known) {
      this.#clients.delete(key);
      this.#clients.set(key, known);
      return known;
    }
    if (this.#clients.size >= this.#limits.maxClients) {
      const oldest = this.#clients.keys().next();
      if (!oldest.done) this.#clients.delete(oldest.value);
    }
    const client: Client = {
      bucket: { tokens: this.#limits.burst, at: now },
      suppressed: 0,
      summarizedAt: -Infinity,
    };
    this.#clients.set(key, client);
    return client;
  }

  #summary(key: string, client: Client, now: number): string | undefined {
    if (
      client.suppressed === 0 ||
      now - client.summarizedAt < this.#limits.summaryIntervalMs
    ) {
      return undefined;
    }
    const count = client.suppressed;
    client.suppressed = 0;
    client.summarizedAt = now;
    return `CSP reports: suppressed ${count} report${
      count === 1 ? "" : "s"
    } from ${key}`;
  }
}

function refill(
  bucket: Bucket,
  now: number,
  burst: number,
  perMinute: number,
): void {
  const elapsed = Math.max(0, now - bucket.at);
  bucket.tokens = Math.min(burst, bucket.tokens + elapsed * perMinute / 60_000);
  bucket.at = now;
}

function tokenWaitMs(bucket: Bucket, perMinute: number): number {
  return bucket.tokens >= 1 ? 0 : (1 - bucket.tokens) * 60_000 / perMinute;
}

/**
 * The address a limit applies to: an IPv4 address as it is, an IPv6
 * address by its /64 prefix, since one host usually holds a whole /64
 * (RFC 4291 §2.5.4 interface identifiers) and could otherwise rotate
 * through addresses to escape the limit.
 */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(":")) return address;
  const groups = ipv6Groups(address);
  if (groups === undefined) return address;
  return `${groups.slice(0, 4).join(":")}::/64`;
}

function ipv6Groups(address: string): string[] | undefined {
  const halves = address.toLowerCase().split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  const tail = halves.length === 2 && halves[1] !== ""
    ? halves[1].split(":")
    : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return undefined;
  const groups = [...head, ...Array(missing).fill("0"), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return undefined;
  return groups.map((group) => group.replace(/^0+(?=.)/, ""));
}
