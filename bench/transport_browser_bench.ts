// Message latency and burst throughput, BOSH against WebSocket, measured in
// headless Chromium: Desktop Chat is a browser client, and the roadmap's
// anchors (Strophe.js, Converse.js) were measured in Chromium. Same procedure
// as transport_bench.ts (which measures the same client under Deno): both
// clients, alice and bob, run on one page (transport_page.ts, bundled with
// the product's esbuild plugin) against a fresh loopback Prosody.
import * as esbuild from "esbuild";
import { join } from "node:path";
import { CHROMIUM_ARGS } from "../tests/support/browser.ts";
import { chromium } from "playwright-core";
import { PROJECT_ROOT } from "../scripts/build.ts";
import { startProsody } from "../scripts/servers/prosody.ts";
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

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>transport bench</title>
<link rel="icon" href="data:,">
<script type="module" src="/bench.js"></script></head><body></body></html>
`;

// Cross-origin isolation raises performance.now() from 100 µs to 5 µs
// resolution in Chromium; WebSocket latencies are a few tenths of a
// millisecond. BOSH's fetches are CORS requests, which COEP lets through.
const ISOLATED = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

async function bundlePage(outDir: string): Promise<string> {
  const outfile = join(outDir, "bench.js");
  try {
    await esbuild.build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: ["bench/transport_page.ts"],
      outfile,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "warning",
    });
  } finally {
    await esbuild.stop();
  }
  return outfile;
}

function servePage(script: Uint8Array<ArrayBuffer>, signal: AbortSignal) {
  return Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal, onListen() {} },
    (req) => {
      const { pathname } = new URL(req.url);
      if (pathname === "/") {
        return new Response(PAGE_HTML, {
          headers: { ...ISOLATED, "content-type": "text/html; charset=utf-8" },
        });
      }
      if (pathname === "/bench.js") {
        return new Response(script, {
          headers: {
            ...ISOLATED,
            "content-type": "text/javascript; charset=utf-8",
          },
        });
      }
      return new Response("not found", { status: 404 });
    },
  );
}

/** `promise`, or a rejection after `ms`; the timer never outlives the call. */
async function within<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${ms} ms`)),
      ms,
    );
  });
  // A loser of the race that rejects later (browser closed) is not an error.
  promise.catch(() => {});
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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
  const outDir = await Deno.makeTempDir({ prefix: "transport-bench-" });
  try {
    const script = await Deno.readFile(await bundlePage(outDir));
    const ac = new AbortController();
    const server = servePage(script, ac.signal);
    try {
      const origin = `http://127.0.0.1:${server.addr.port}`;
      const prosody = await startProsody({
        users: [
          { username: "alice", password: "alice-pw" },
          { username: "bob", password: "bob-pw" },
        ],
        corsOrigins: [origin],
      });
      try {
        const result = await runInChromium(origin, {
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
      } finally {
        await prosody.stop();
      }
    } finally {
      ac.abort();
      await server.finished;
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}

if (import.meta.main) {
  for (const m of await measureTransportInChromium()) {
    console.log(
      `${m.name.padEnd(34)} ${String(m.value).padStart(10)} ${m.unit}`,
    );
  }
}
