// Message latency and burst throughput, BOSH against WebSocket, measured in
// headless Chromium: Desktop Chat is a browser client, and the roadmap's
// anchors (Strophe.js, Converse.js) were measured in Chromium. Same procedure
// as transport_bench.ts (which measures the same client under Deno): both
// clients, alice and bob, run on one page (transport_page.ts, bundled with
// the product's esbuild plugin) against a fresh loopback Prosody.
import { CHROMIUM_ARGS } from "../tests/support/browser.ts";
import { chromium } from "playwright-core";
import { startProsody } from "../scripts/servers/prosody.ts";
import { serveBenchPage, within } from "./support/bench_page.ts";
import { type Metric, transportMetrics } from "./support/results.ts";
import type {
  RunTransportBench,
  TransportPageConfig,
  TransportPageResult,
} from "./transport_page.ts";

const LATENCY_MESSAGES = 1000;
const BLOCK = 100;
const BURST = 5000;
const WARMUP = 50;
/** Bound on the in-page run; a lost message would otherwise hang the bench. */
const PAGE_TIMEOUT_MS = 180_000;

async function runInChromium(
  origin: string,
  config: TransportPageConfig,
): Promise<TransportPageResult> {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = await browser.newPage();
    page.on("pageerror", (err) => console.error(`[page] ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") {
        console.error(`[page ${msg.type()}] ${msg.text()}`);
      }
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "runTransportBench" in globalThis);
    return await within(
      page.evaluate(
        (cfg) =>
          (globalThis as { runTransportBench?: RunTransportBench })
            .runTransportBench!(cfg),
        config,
      ),
      PAGE_TIMEOUT_MS,
      "the in-page transport bench",
    );
  } finally {
    await browser.close();
  }
}

function pageMetrics(result: TransportPageResult): Metric[] {
  return transportMetrics({
    bosh: result.boshSamples,
    ws: result.wsSamples,
    fetchRtt: result.fetchRtt,
    rawBosh: result.rawBosh,
    boshRate: BURST / (result.boshBurstMs / 1000),
    wsRate: BURST / (result.wsBurstMs / 1000),
    burst: BURST,
  });
}

/** Runs the bench with both clients on one headless Chromium page. */
export async function measureTransportInChromium(): Promise<Metric[]> {
  await using page = await serveBenchPage("bench/transport_page.ts");
  await using prosody = await startProsody({
    users: [
      { username: "alice", password: "alice-pw" },
      { username: "bob", password: "bob-pw" },
    ],
    corsOrigins: [page.origin],
  });
  const result = await runInChromium(page.origin, {
    boshUrl: prosody.boshUrl,
    wsUrl: prosody.wsUrl,
    domain: "localhost",
    latencyMessages: LATENCY_MESSAGES,
    block: BLOCK,
    burst: BURST,
    warmup: WARMUP,
  });
  if (!result.crossOriginIsolated) {
    throw new Error("the bench page is not cross-origin isolated");
  }
  console.error(`Chromium: ${result.userAgent}`);
  return pageMetrics(result);
}

if (import.meta.main) {
  for (const m of await measureTransportInChromium()) {
    console.log(
      `${m.name.padEnd(34)} ${String(m.value).padStart(10)} ${m.unit}`,
    );
  }
}
