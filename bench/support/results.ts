// Writes one benchmark result file in the format of bench-format.md.
export interface Metric {
  name: string;
  value: number;
  unit: "ms" | "s" | "bytes" | "msg/s" | "MB/s" | "ratio" | "count";
  n?: number;
}

async function chromiumVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command("/usr/bin/chromium", {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return new TextDecoder().decode(out.stdout).match(/(\d+\.\d+)/)?.[1];
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("no samples");
  const i = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, i)];
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export async function writeResults(file: string, metrics: Metric[]) {
  const result = {
    generatedAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: {
      cpus: navigator.hardwareConcurrency,
      os: Deno.build.os,
      deno: Deno.version.deno,
      chromium: await chromiumVersion(),
    },
    metrics,
  };
  const path = new URL(`../results/${file}`, import.meta.url);
  await Deno.mkdir(new URL("../results/", import.meta.url), {
    recursive: true,
  });
  await Deno.writeTextFile(path, JSON.stringify(result, null, 2) + "\n");
  for (const m of metrics) {
    console.log(
      `${m.name.padEnd(34)} ${String(m.value).padStart(10)} ${m.unit}`,
    );
  }
}

/** Raw samples of one transport bench run, in milliseconds. */
export interface TransportSamples {
  /** Message latency alice→bob, one at a time. */
  bosh: readonly number[];
  ws: readonly number[];
  /** Floors under BOSH latency, against the same connection manager. */
  fetchRtt: readonly number[];
  rawBosh: readonly number[];
  /** Messages per second of the back-to-back bursts, and their size. */
  boshRate: number;
  wsRate: number;
  burst: number;
}

function latency(name: string, samples: readonly number[]) {
  const sorted = samples.toSorted((x, y) => x - y);
  const n = sorted.length;
  const p50 = percentile(sorted, 50);
  return {
    p50,
    n,
    metrics: [
      { name: `${name}.p50`, value: round(p50), unit: "ms", n },
      {
        name: `${name}.p99`,
        value: round(percentile(sorted, 99)),
        unit: "ms",
        n,
      },
    ] satisfies Metric[],
  };
}

function ratio(
  name: string,
  ours: { p50: number; n: number },
  theirs: { p50: number; n: number },
): Metric {
  return {
    name: `latency.ratio.${name}`,
    value: round(ours.p50 / theirs.p50),
    unit: "ratio",
    n: ours.n + theirs.n,
  };
}

/**
 * The seven transport.json metrics, and the floors under BOSH latency: a bare
 * HTTP round trip to the same connection manager (`fetch.rtt.*`) and a
 * hand-written BOSH exchange (`raw_bosh.latency.*`); how far our client is
 * above the tighter floor, and the BOSH-over-WebSocket ratio that each floor
 * leaves to any fetch-based client.
 */
export function transportMetrics(m: TransportSamples): Metric[] {
  const bosh = latency("bosh.latency", m.bosh);
  const ws = latency("ws.latency", m.ws);
  const rtt = latency("fetch.rtt", m.fetchRtt);
  const raw = latency("raw_bosh.latency", m.rawBosh);
  return [
    ...bosh.metrics,
    ...ws.metrics,
    {
      name: "bosh.throughput",
      value: Math.round(m.boshRate),
      unit: "msg/s",
      n: m.burst,
    },
    {
      name: "ws.throughput",
      value: Math.round(m.wsRate),
      unit: "msg/s",
      n: m.burst,
    },
    ratio("bosh_over_ws", bosh, ws),
    ...rtt.metrics,
    ...raw.metrics,
    ratio("bosh_over_raw_bosh", bosh, raw),
    ratio("fetch_rtt_over_ws", rtt, ws),
    ratio("raw_bosh_over_ws", raw, ws),
  ];
}

/**
 * The idle-pace figures (transport_idle_bench.ts): our client's latency and
 * the hand-written exchange's, both across two browser contexts with 120–170
 * ms between messages, and how far ours is above that floor.
 */
export function idleMetrics(
  ours: readonly number[],
  floor: readonly number[],
): Metric[] {
  const bosh = latency("bosh.latency.idle", ours);
  const raw = latency("raw_bosh.latency.idle", floor);
  return [
    ...bosh.metrics,
    ...raw.metrics,
    ratio("bosh_over_raw_bosh.idle", bosh, raw),
  ];
}
