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
