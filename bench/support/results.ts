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

/** The seven transport.json metrics, from raw samples and burst rates. */
export function transportMetrics(m: {
  boshSamples: readonly number[];
  wsSamples: readonly number[];
  boshRate: number;
  wsRate: number;
  burst: number;
}): Metric[] {
  const bosh = m.boshSamples.toSorted((x, y) => x - y);
  const ws = m.wsSamples.toSorted((x, y) => x - y);
  const boshP50 = percentile(bosh, 50);
  const wsP50 = percentile(ws, 50);
  const n = bosh.length;
  return [
    { name: "bosh.latency.p50", value: round(boshP50), unit: "ms", n },
    {
      name: "bosh.latency.p99",
      value: round(percentile(bosh, 99)),
      unit: "ms",
      n,
    },
    { name: "ws.latency.p50", value: round(wsP50), unit: "ms", n: ws.length },
    {
      name: "ws.latency.p99",
      value: round(percentile(ws, 99)),
      unit: "ms",
      n: ws.length,
    },
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
    {
      name: "latency.ratio.bosh_over_ws",
      value: round(boshP50 / wsP50),
      unit: "ratio",
      n: n + ws.length,
    },
  ];
}
