// The encoded copies of a bundle that the service sends in its place
// (routes/content_coding.ts): Brotli at its best quality, and gzip by
// Zopfli, which writes standard deflate about 3.5 % smaller than zlib's
// level 9 (the element: 91.5 KB against 94.8 KB) for a second or two of
// work. Made once at build time, so no request pays for compression, and
// kept in a cache keyed by the bytes' SHA-256, so the many builds of the
// same code (every browser test builds) pay once.
import { gzipAsync } from "@gfx/zopfli";
import { brotliCompressSync, constants } from "node:zlib";
import { join } from "node:path";
import type { Precompressed } from "../routes/content_coding.ts";

/** Which build outputs get encoded copies: the text the browser fetches. */
export function isCompressible(fileName: string): boolean {
  return /\.(?:js|css)$/.test(fileName);
}

/** Zopfli's default: more iterations gain a few bytes for much more time. */
const ZOPFLI_ITERATIONS = 15;
/** Copies not used for this long are removed when the cache is written. */
const CACHE_DAYS = 30;

export function encode(
  coding: Precompressed["coding"],
  contents: Uint8Array,
): Promise<Uint8Array> {
  if (coding === "gzip") {
    return gzipAsync(contents, { numiterations: ZOPFLI_ITERATIONS });
  }
  return Promise.resolve(brotliCompressSync(contents, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
    },
  }));
}

/** The cache's name for `contents`: their SHA-256 in hex. */
export async function contentKey(contents: Uint8Array): Promise<string> {
  // A copy: esbuild's output may sit on a shared buffer, which digest refuses.
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", contents.slice()),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `contents` (named `key`, contentKey) encoded, from `cacheDir` if made before. */
export async function encodeCached(
  cacheDir: string,
  key: string,
  { coding, suffix }: Precompressed,
  contents: Uint8Array,
): Promise<Uint8Array> {
  const path = join(cacheDir, key + suffix);
  try {
    const cached = await Deno.readFile(path);
    const now = new Date();
    await Deno.utime(path, now, now);
    return cached;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const encoded = await encode(coding, contents);
  await Deno.mkdir(cacheDir, { recursive: true });
  // Written beside and renamed: a build running at the same time (tests
  // build in parallel) never reads half a copy.
  const temporary = `${path}.${crypto.randomUUID()}`;
  await Deno.writeFile(temporary, encoded);
  await Deno.rename(temporary, path);
  await pruneCache(cacheDir);
  return encoded;
}

async function pruneCache(cacheDir: string): Promise<void> {
  const before = Date.now() - CACHE_DAYS * 86_400_000;
  for await (const entry of Deno.readDir(cacheDir)) {
    const path = join(cacheDir, entry.name);
    try {
      const info = await Deno.stat(path);
      if (entry.isFile && (info.mtime?.getTime() ?? 0) < before) {
        await Deno.remove(path);
      }
    } catch (error) {
      // Another build pruned it first.
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
}
