// xhr_uploader.ts in Chromium, the only place it can run: Deno has no
// XMLHttpRequest. A real Deno.serve serves the page, the bundled uploader
// and the PUT target on one loopback origin; the server reads slowly so the
// browser's upload progress has time to show between start and end.
import assert from "node:assert/strict";
import * as esbuild from "esbuild";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "../support/browser.ts";
import { sha256Of } from "../../shared/xmpp/files/transfer/digest.ts";
import { startTestServer } from "../support/http_test_server.ts";

const MB = 1000 * 1000;

async function bundleUploader(): Promise<string> {
  try {
    const result = await esbuild.build({
      entryPoints: [
        fileURLToPath(
          new URL(
            "../../shared/xmpp/files/transfer/xhr_uploader.ts",
            import.meta.url,
          ),
        ),
      ],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
    });
    return result.outputFiles[0].text;
  } finally {
    await esbuild.stop();
  }
}

// Runs in the page: uploads `size` random bytes as a Blob, cancels once
// `cancelAt` bytes are reported sent, and reports what came out.
const PAGE = `<!doctype html><script type="module">
import { xhrUploader } from "/xhr_uploader.js";
globalThis.upload = async (path, size, cancelAt) => {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) {
    crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const cancel = new AbortController();
  const progress = [];
  const result = await xhrUploader().put({
    url: path,
    headers: [
      { name: "Authorization", value: "Basic c2xvdA==" },
      { name: "X-Evil", value: "1" },
    ],
    body: new Blob([bytes]),
    size,
    contentType: "application/pdf",
    signal: cancel.signal,
    onProgress: (sent, total) => {
      progress.push([sent, total]);
      if (sent >= cancelAt) cancel.abort();
    },
  });
  return {
    ok: result.ok,
    reason: result.ok ? undefined : result.error.reason,
    status: result.ok ? result.status : result.error.status,
    progress,
    digest: Array.from(digest),
  };
};
globalThis.ready = true;
</script>`;

interface Received {
  headers: Headers;
  digest: number[];
  bytes: number;
  broken: boolean;
}

Deno.test("xhrUploader in Chromium: progress, refusal and cancel", async (t) => {
  const script = await bundleUploader();
  const received: Received[] = [];
  const server = startTestServer(async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "GET" && path === "/") {
      return new Response(PAGE, { headers: { "content-type": "text/html" } });
    }
    if (req.method === "GET" && path === "/xhr_uploader.js") {
      return new Response(script, {
        headers: { "content-type": "text/javascript" },
      });
    }
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let broken = false;
    try {
      for await (const chunk of req.body!) {
        chunks.push(chunk.slice());
        // Slow reads: the upload lasts long enough to report progress.
        await new Promise((r) => setTimeout(r, 2));
      }
    } catch {
      broken = true;
    }
    const bytes = new Uint8Array(await new Blob(chunks).arrayBuffer());
    received.push({
      headers: req.headers,
      digest: Array.from(await sha256Of(bytes)),
      bytes: bytes.byteLength,
      broken,
    });
    return new Response(null, { status: path === "/413" ? 413 : 201 });
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.origin);
    await page.waitForFunction("globalThis.ready === true");
    const upload = (path: string, size: number, cancelAt = Infinity) =>
      page.evaluate(
        ([p, s, c]) =>
          (globalThis as unknown as {
            upload(p: string, s: number, c: number): Promise<{
              ok: boolean;
              reason?: string;
              status?: number;
              progress: [number, number][];
              digest: number[];
            }>;
          }).upload(p, s, c),
        [path, size, cancelAt] as const,
      );

    await t.step(
      "20 MB arrive byte-identical, with live progress",
      async () => {
        const size = 20 * MB;
        // Loopback socket buffers swallow several MB at once, and Chromium
        // counts bytes handed to the socket: 20 MB leaves progress to show.
        const out = await upload("/up", size);
        assert.deepEqual(
          [out.ok, out.status],
          [true, 201],
          JSON.stringify(out.reason),
        );
        const got = received.at(-1)!;
        assert.equal(got.bytes, size);
        assert.deepEqual(got.digest, out.digest);
        assert.equal(got.headers.get("authorization"), "Basic c2xvdA==");
        assert.equal(got.headers.get("x-evil"), null);
        assert.equal(got.headers.get("content-type"), "application/pdf");
        assert.equal(got.headers.get("content-length"), String(size));
        const between = out.progress.filter(([s]) => s > 0 && s < size);
        assert.ok(between.length > 0, JSON.stringify(out.progress));
        assert.deepEqual(out.progress.at(-1), [size, size]);
      },
    );

    await t.step("413 from the server is too-large", async () => {
      const out = await upload("/413", 100_000);
      assert.deepEqual([out.ok, out.reason, out.status], [
        false,
        "too-large",
        413,
      ]);
    });

    await t.step(
      "cancel mid-way is cancelled, the server sees it",
      async () => {
        const before = received.length;
        const out = await upload("/up", 20 * MB, 1);
        assert.deepEqual([out.ok, out.reason], [false, "cancelled"]);
        // The handler finishes once the broken body is noticed.
        for (let i = 0; i < 200 && received.length === before; i++) {
          await new Promise((r) => setTimeout(r, 25));
        }
        const got = received.at(-1)!;
        assert.ok(got.broken, "the server saw the body break off");
        assert.ok(got.bytes < 20 * MB, `server received ${got.bytes}`);
      },
    );
  } finally {
    await browser.close();
    await server.close();
  }
});
