import assert from "node:assert/strict";
import { join } from "node:path";
import {
  isHashedFileName,
  MANIFEST_FILE_NAME,
  readManifest,
} from "../routes/bundle_manifest.ts";
import { buildBundles, bundleSizes, ENTRIES } from "./build.ts";

Deno.test("buildBundles", async (t) => {
  const outDir = await Deno.makeTempDir({ prefix: "desktop_chat_build_" });
  const staleBundle = join(outDir, "desktop-chat-AAAAAAAA.js");
  const staleCopy = join(outDir, "desktop-chat-AAAAAAAA.js.br");
  const unrelatedFile = join(outDir, "README.txt");
  await Deno.writeTextFile(staleBundle, "stale");
  await Deno.writeTextFile(staleCopy, "stale");
  await Deno.writeTextFile(unrelatedFile, "kept");
  try {
    const manifest = await buildBundles({ outDir });
    const fileName = manifest["desktop-chat.js"];
    const bundle = await Deno.readTextFile(join(outDir, fileName));

    await t.step(
      "writes a manifest that maps every entry to a hashed file",
      async () => {
        assert.deepEqual(
          Object.keys(manifest),
          ENTRIES.map((entry) => `${entry.name}.js`),
        );
        assert.match(fileName, /^desktop-chat-[A-Z2-7]{8}\.js$/);
        assert.ok(isHashedFileName(fileName));
        assert.deepEqual(await readManifest(outDir), manifest);
        assert.deepEqual(
          JSON.parse(await Deno.readTextFile(join(outDir, MANIFEST_FILE_NAME))),
          manifest,
        );
      },
    );

    await t.step("leaves no node: import in the browser bundle", () => {
      assert.doesNotMatch(bundle, /(?:from|import|require)\s*\(?\s*["']node:/);
      assert.doesNotMatch(bundle, /["']node:[a-z_/]+["']/);
    });

    await t.step("bundles the element's EventEmitter, not npm events", () => {
      // A message only npm `events` (the whole EventEmitter port) carries.
      assert.doesNotMatch(bundle, /Possible EventEmitter memory leak detected/);
      // shared/xmpp/core/event_emitter.ts, for xmpp.js and ltx.
      assert.match(bundle, /Unhandled error\./);
    });

    await t.step("defines the desktop-chat element", () => {
      assert.match(bundle, /customElements\.define\("desktop-chat",/);
      assert.match(bundle, /attachShadow\(\{mode:"open"\}\)/);
    });

    await t.step("ships every style sheet minified", () => {
      // The style modules' comments (contrast notes) and indentation.
      assert.ok(!/\/\*\s/.test(bundle), "a CSS comment in the bundle");
      assert.ok(!/\n {2}[a-z-]+: /.test(bundle), "indented CSS in the bundle");
    });

    await t.step("leaves the settings schema library to the admin", () => {
      // valibot's Standard Schema key: the element checks the settings it
      // reads with settings_reader.ts, without the library.
      assert.ok(!bundle.includes("~standard"), "valibot in the element");
    });

    await t.step(
      "bundles the admin gadget apart, without xmpp.js",
      async () => {
        const settingsBundle = await Deno.readTextFile(
          join(outDir, manifest["desktop-chat-settings.js"]),
        );
        assert.match(
          settingsBundle,
          /customElements\.define\("desktop-chat-settings",/,
        );
        assert.doesNotMatch(settingsBundle, /EventEmitter/);
      },
    );

    await t.step(
      "removes stale hashed files and keeps other files",
      async () => {
        await assert.rejects(Deno.stat(staleBundle), Deno.errors.NotFound);
        await assert.rejects(Deno.stat(staleCopy), Deno.errors.NotFound);
        assert.equal(await Deno.readTextFile(unrelatedFile), "kept");
        const names = [];
        for await (const item of Deno.readDir(outDir)) names.push(item.name);
        assert.deepEqual(
          names.sort(),
          [
            ...Object.values(manifest).flatMap((name) => [
              name,
              `${name}.br`,
              `${name}.gz`,
            ]),
            MANIFEST_FILE_NAME,
            "README.txt",
          ].sort(),
        );
      },
    );

    await t.step("rebuilds to the same hash when nothing changed", async () => {
      assert.deepEqual(await buildBundles({ outDir }), manifest);
    });

    await t.step("writes a Brotli and a gzip copy of each bundle", async () => {
      const raw = await Deno.readFile(join(outDir, fileName));
      const decoded = (suffix: string, coding: CompressionFormat) =>
        new Response(
          new Blob([Deno.readFileSync(join(outDir, fileName + suffix))])
            .stream().pipeThrough(new DecompressionStream(coding)),
        ).bytes();
      assert.deepEqual(await decoded(".gz", "gzip"), raw);
      assert.deepEqual(
        await decoded(".br", "brotli" as CompressionFormat),
        raw,
      );
    });

    await t.step("reuses the copies it made for the same bytes", async () => {
      const cacheDir = await Deno.makeTempDir({
        prefix: "desktop_chat_copies_",
      });
      const again = await Deno.makeTempDir({ prefix: "desktop_chat_build_" });
      try {
        await buildBundles({ outDir: again, cacheDir });
        const raw = await Deno.readFile(join(outDir, fileName));
        const key = Array.from(
          new Uint8Array(await crypto.subtle.digest("SHA-256", raw)),
          (b) => b.toString(16).padStart(2, "0"),
        ).join("");
        // A stand-in in the cache is what the next build writes out.
        await Deno.writeTextFile(join(cacheDir, `${key}.gz`), "cached");
        await buildBundles({ outDir: again, cacheDir });
        assert.equal(
          await Deno.readTextFile(join(again, `${fileName}.gz`)),
          "cached",
        );
      } finally {
        await Deno.remove(cacheDir, { recursive: true });
        await Deno.remove(again, { recursive: true });
      }
    });

    await t.step("reports raw, gzip and Brotli sizes", async () => {
      const size = (await bundleSizes(outDir, manifest)).find((entry) =>
        entry.logicalName === "desktop-chat.js"
      );
      assert.ok(size);
      assert.equal(size.fileName, fileName);
      assert.equal(size.bytes, new TextEncoder().encode(bundle).byteLength);
      assert.ok(size.gzipBytes > 0 && size.gzipBytes < size.bytes);
      assert.ok(size.brotliBytes > 0 && size.brotliBytes < size.gzipBytes);
    });
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
