// Desktops reading the chat server settings: concurrent fetch loops, each
// waiting for its answer before the next request, over kept-alive
// connections (HTTP/1.1, RFC 9112 §9.3), from one source address.

const ERROR_PAUSE_MS = 50;

/** What the readers saw in the measured window. */
export interface ReadSamples {
  /** Milliseconds per successful read (200 with its whole body). */
  readonly latencies: readonly number[];
  /** Reads that failed: another status, a network error, or no answer in time. */
  readonly errors: number;
  /** Why they failed, and how often. */
  readonly errorKinds: ReadonlyMap<string, number>;
  readonly windowMs: number;
}

export interface ReadLoadOptions {
  readonly url: string;
  readonly readers: number;
  /** Reads before the window are not counted (connections open, code warms). */
  readonly warmupMs: number;
  readonly windowMs: number;
  /** A read not answered within this counts as an error. */
  readonly timeoutMs: number;
}

/** A pool of kept-alive connections for the readers, from `localAddress`. */
export function readerClient(
  localAddress: string,
  readers: number,
): Deno.HttpClient {
  return Deno.createHttpClient({
    localAddress,
    http1: true,
    http2: false,
    poolMaxIdlePerHost: readers,
  });
}

/**
 * Runs `readers` loops for the warm-up and then the window; counts the reads
 * that finish inside the window. Resolves once every loop has stopped.
 */
export async function readLoad(
  client: Deno.HttpClient,
  options: ReadLoadOptions,
): Promise<ReadSamples> {
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  const windowStart = performance.now() + options.warmupMs;
  const windowEnd = windowStart + options.windowMs;

  async function read(): Promise<string | undefined> {
    try {
      const response = await fetch(options.url, {
        client,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer();
      return response.status === 200 ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      // A failed read is a result of the bench, counted by its kind.
      const kind = error instanceof Error
        ? `${error.name}: ${error.message}`
        : String(error);
      return kind.slice(0, 160);
    }
  }

  async function loop(): Promise<void> {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      const failure = await read();
      const ended = performance.now();
      const counted = ended >= windowStart && ended <= windowEnd;
      if (failure === undefined) {
        if (counted) latencies.push(ended - started);
        continue;
      }
      if (counted) {
        errors++;
        errorKinds.set(failure, (errorKinds.get(failure) ?? 0) + 1);
      }
      // A refused connection fails at once; a desktop would not retry in a
      // tight loop, and the bench must not burn the CPU the service needs.
      await new Promise((resolve) => setTimeout(resolve, ERROR_PAUSE_MS));
    }
  }

  await Promise.all(Array.from({ length: options.readers }, loop));
  return { latencies, errors, errorKinds, windowMs: options.windowMs };
}
