import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bundleUrlPath,
  isHashedFileName,
  ManifestError,
  manifestExists,
  parseManifest,
} from "./bundle_manifest.ts";

Deno.test("isHashedFileName tells esbuild's [name]-[hash] outputs apart", () => {
  assert.ok(isHashedFileName("desktop-chat-UNJSHKAX.js"));
  assert.ok(isHashedFileName("chunk-2A7QZ3XY.js"));
  assert.ok(!isHashedFileName("manifest.json"));
  assert.ok(!isHashedFileName("desktop-chat.js"));
  assert.ok(!isHashedFileName("desktop-chat-unjshkax.js"));
  assert.ok(!isHashedFileName("nested/desktop-chat-UNJSHKAX.js"));
});

Deno.test("parseManifest accepts only plain logical and hashed file names", () => {
  assert.deepEqual(
    parseManifest({ "desktop-chat.js": "desktop-chat-UNJSHKAX.js" }),
    {
      "desktop-chat.js": "desktop-chat-UNJSHKAX.js",
    },
  );
  for (
    const bad of [
      null,
      [],
      "desktop-chat.js",
      { "desktop-chat.js": 1 },
      { "desktop-chat.js": "desktop-chat.js" },
      { "desktop-chat.js": '"><script>alert(1)</script>-AAAAAAAA.js' },
      { "../x.js": "x-AAAAAAAA.js" },
    ]
  ) {
    assert.throws(() => parseManifest(bad), ManifestError, JSON.stringify(bad));
  }
});

Deno.test("reading a manifest from disk", async (t) => {
  const distDir = await Deno.makeTempDir({ prefix: "desktop_chat_manifest_" });
  try {
    await t.step(
      "reports a missing manifest with the command that fixes it",
      async () => {
        assert.equal(await manifestExists(distDir), false);
        await assert.rejects(
          bundleUrlPath(distDir, "desktop-chat.js"),
          ManifestError,
          "run `deno task build` first",
        );
      },
    );

    await t.step("reports invalid JSON", async () => {
      await Deno.writeTextFile(join(distDir, "manifest.json"), "{");
      await assert.rejects(
        bundleUrlPath(distDir, "desktop-chat.js"),
        ManifestError,
        "is not valid JSON",
      );
    });

    await t.step("resolves a logical name to its URL path", async () => {
      await Deno.writeTextFile(
        join(distDir, "manifest.json"),
        '{"desktop-chat.js":"desktop-chat-UNJSHKAX.js"}',
      );
      assert.equal(await manifestExists(distDir), true);
      assert.equal(
        await bundleUrlPath(distDir, "desktop-chat.js"),
        "/static/dist/desktop-chat-UNJSHKAX.js",
      );
      await assert.rejects(
        bundleUrlPath(distDir, "settings.js"),
        ManifestError,
        "no entry for settings.js",
      );
    });
  } finally {
    await Deno.remove(distDir, { recursive: true });
  }
});
