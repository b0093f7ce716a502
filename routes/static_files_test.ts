import assert from "node:assert/strict";
import { join } from "node:path";
import { Hono } from "hono";
import { REVALIDATE_CACHE_CONTROL, staticFiles } from "./static_files.ts";

// The served root sits beside a secret file that traversal must not reach.
async function makeRoot(): Promise<{ base: string; root: string }> {
  const base = await Deno.makeTempDir({ prefix: "desktop_chat_static_" });
  await Deno.writeTextFile(join(base, "secret.txt"), "outside the root");
  const root = join(base, "root");
  await Deno.mkdir(root);
  await Deno.mkdir(join(root, "css"));
  await Deno.mkdir(join(root, "private"));
  await Deno.writeTextFile(
    join(root, "css", "shell.css"),
    "body { margin: 0; }\n",
  );
  await Deno.writeTextFile(join(root, "icon.svg"), "<svg/>");
  await Deno.writeTextFile(join(root, "data.bin"), "raw");
  await Deno.writeTextFile(join(root, ".env"), "SECRET=1");
  await Deno.writeTextFile(join(root, "private", "notes.txt"), "hidden");
  return { base, root };
}

Deno.test("staticFiles", async (t) => {
  const { base, root } = await makeRoot();
  const app = new Hono()
    .get(
      "/assets/*",
      staticFiles({
        root,
        urlPath: "/assets",
        cacheControl: () => REVALIDATE_CACHE_CONTROL,
        hidden: ["private/"],
      }),
    )
    .notFound((c) => c.text("missing", 404));
  try {
    const first = await app.request("/assets/css/shell.css");
    const etag = first.headers.get("ETag") ?? "";
    const lastModified = first.headers.get("Last-Modified") ?? "";

    await t.step(
      "serves a file with its type, validators and cache policy",
      async () => {
        assert.equal(first.status, 200);
        assert.equal(
          first.headers.get("Content-Type"),
          "text/css; charset=utf-8",
        );
        assert.equal(first.headers.get("Cache-Control"), "no-cache");
        assert.match(etag, /^"[0-9a-f]{32}"$/);
        assert.equal(new Date(lastModified).toUTCString(), lastModified);
        assert.equal(await first.text(), "body { margin: 0; }\n");
      },
    );

    await t.step(
      "answers 304 to a matching If-None-Match, strong or weak",
      async () => {
        for (
          const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, "*"]
        ) {
          const response = await app.request("/assets/css/shell.css", {
            headers: { "If-None-Match": ifNoneMatch },
          });
          assert.equal(response.status, 304, ifNoneMatch);
          assert.equal(response.headers.get("ETag"), etag);
          assert.equal(response.body, null);
        }
        const changed = await app.request("/assets/css/shell.css", {
          headers: { "If-None-Match": '"other"' },
        });
        assert.equal(changed.status, 200);
        await changed.body?.cancel();
      },
    );

    await t.step(
      "answers 304 to If-Modified-Since unless If-None-Match disagrees",
      async () => {
        const notModified = await app.request("/assets/css/shell.css", {
          headers: { "If-Modified-Since": lastModified },
        });
        assert.equal(notModified.status, 304);
        const older = await app.request("/assets/css/shell.css", {
          headers: { "If-Modified-Since": new Date(0).toUTCString() },
        });
        assert.equal(older.status, 200);
        await older.body?.cancel();
        const mismatch = await app.request("/assets/css/shell.css", {
          headers: {
            "If-Modified-Since": lastModified,
            "If-None-Match": '"other"',
          },
        });
        assert.equal(mismatch.status, 200);
        await mismatch.body?.cancel();
      },
    );

    await t.step("answers HEAD with headers only", async () => {
      const response = await app.request("/assets/css/shell.css", {
        method: "HEAD",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("ETag"), etag);
      assert.equal(response.body, null);
    });

    await t.step(
      "knows common types and falls back to octet-stream",
      async () => {
        const svg = await app.request("/assets/icon.svg");
        assert.equal(svg.headers.get("Content-Type"), "image/svg+xml");
        await svg.body?.cancel();
        const binary = await app.request("/assets/data.bin");
        assert.equal(
          binary.headers.get("Content-Type"),
          "application/octet-stream",
        );
        await binary.body?.cancel();
      },
    );

    await t.step(
      "refuses traversal, hidden files, hidden prefixes and directories",
      async () => {
        for (
          const path of [
            "/assets/..%2fsecret.txt",
            "/assets/css/..%2f..%2fsecret.txt",
            "/assets/%2e%2e%2fsecret.txt",
            "/assets/css%5cshell.css",
            "/assets/css//shell.css",
            "/assets/.env",
            "/assets/private/notes.txt",
            "/assets/css",
            "/assets/css/shell.css/more",
            "/assets/%E0%A4%A",
            "/assets/missing.txt",
          ]
        ) {
          const response = await app.request(path);
          assert.equal(response.status, 404, path);
          assert.equal(await response.text(), "missing", path);
        }
      },
    );
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});

Deno.test("staticFiles with precompressed copies", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "desktop_chat_static_" });
  // Stand-ins: the server sends the copies' bytes as they are.
  await Deno.writeTextFile(join(root, "app.js"), "plain");
  await Deno.writeTextFile(join(root, "app.js.br"), "brotli bytes");
  await Deno.writeTextFile(join(root, "app.js.gz"), "gzip bytes");
  await Deno.writeTextFile(join(root, "only.js"), "no copies");
  const app = new Hono().get(
    "/dist/*",
    staticFiles({
      root,
      urlPath: "/dist",
      precompressed: true,
      cacheControl: () => REVALIDATE_CACHE_CONTROL,
    }),
  );
  const get = (path: string, acceptEncoding?: string, etag?: string) =>
    app.request(path, {
      headers: {
        ...(acceptEncoding === undefined
          ? {}
          : { "Accept-Encoding": acceptEncoding }),
        ...(etag === undefined ? {} : { "If-None-Match": etag }),
      },
    });
  try {
    await t.step(
      "sends the best accepted copy, typed as the file",
      async () => {
        for (
          const [accept, coding, body] of [
            ["gzip, deflate, br", "br", "brotli bytes"],
            ["gzip, deflate", "gzip", "gzip bytes"],
            ["br;q=0.2, gzip", "gzip", "gzip bytes"],
            [undefined, null, "plain"],
            ["identity", null, "plain"],
          ] as const
        ) {
          const response = await get("/dist/app.js", accept);
          assert.equal(response.status, 200);
          assert.equal(response.headers.get("Content-Encoding"), coding);
          assert.equal(response.headers.get("Vary"), "Accept-Encoding");
          assert.equal(
            response.headers.get("Content-Type"),
            "text/javascript; charset=utf-8",
          );
          assert.equal(await response.text(), body);
        }
      },
    );

    await t.step("gives each copy its own ETag (RFC 9110 §8.8.3)", async () => {
      const tags = new Set<string | null>();
      for (const accept of ["br", "gzip", "identity"]) {
        const response = await get("/dist/app.js", accept);
        tags.add(response.headers.get("ETag"));
        await response.body?.cancel();
        const again = await get(
          "/dist/app.js",
          accept,
          response.headers.get("ETag") ?? "",
        );
        assert.equal(again.status, 304, accept);
      }
      assert.equal(tags.size, 3);
      const stale = await get("/dist/app.js", "gzip", [...tags][0] ?? "");
      assert.equal(stale.status, 200);
      await stale.body?.cancel();
    });

    await t.step(
      "sends the plain file where the build wrote no copy",
      async () => {
        const response = await get("/dist/only.js", "gzip, br");
        assert.equal(response.headers.get("Content-Encoding"), null);
        assert.equal(await response.text(), "no copies");
      },
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
