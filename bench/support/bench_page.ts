// A bench page for headless Chromium: one esbuild bundle served with its HTML
// from a loopback Deno server, cross-origin isolated so performance.now() has
// its fine (5 µs) resolution. The server also answers `/clock` with its own
// time, so pages in separate browser contexts can map their clocks onto one
// (clock_sync.ts) and a latency can be read across two of them.
import * as esbuild from "esbuild";
import { join } from "node:path";
import { PROJECT_ROOT } from "../../scripts/build.ts";

export { within } from "./within.ts";

// Cross-origin isolation raises performance.now() from 100 µs to 5 µs
// resolution in Chromium; WebSocket latencies are a few tenths of a
// millisecond. BOSH's fetches are CORS requests, which COEP lets through.
const ISOLATED = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>bench</title>
<link rel="icon" href="data:,">
<script type="module" src="/bench.js"></script></head><body></body></html>
`;

export interface BenchPageServer extends AsyncDisposable {
  readonly origin: string;
}

async function bundle(entry: string): Promise<Uint8Array<ArrayBuffer>> {
  const outDir = await Deno.makeTempDir({ prefix: "bench-page-" });
  const outfile = join(outDir, "bench.js");
  try {
    await esbuild.build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [entry],
      outfile,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "warning",
    });
    return await Deno.readFile(outfile);
  } finally {
    await esbuild.stop();
    await Deno.remove(outDir, { recursive: true });
  }
}

/** The server's clock in milliseconds, the reference `/clock` answers. */
export function serverClock(): number {
  return performance.timeOrigin + performance.now();
}

/** Bundles `entry` (relative to the project root) and serves it at `/`. */
export async function serveBenchPage(entry: string): Promise<BenchPageServer> {
  const script = await bundle(entry);
  const ac = new AbortController();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} },
    (req) => {
      const { pathname } = new URL(req.url);
      if (pathname === "/clock") {
        return new Response(String(serverClock()), {
          headers: { ...ISOLATED, "content-type": "text/plain" },
        });
      }
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
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    async [Symbol.asyncDispose]() {
      ac.abort();
      await server.finished;
    },
  };
}

/**
 * A page-side module (a probe) bundled as one classic script, for
 * Playwright's addInitScript, which takes no modules.
 */
export async function classicScript(entry: string): Promise<string> {
  try {
    const result = await esbuild.build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [entry],
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "es2022",
      write: false,
      logLevel: "warning",
    });
    return result.outputFiles[0].text;
  } finally {
    await esbuild.stop();
  }
}
