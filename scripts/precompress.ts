// The encoded copies of a bundle that the service sends in its place
// (routes/content_coding.ts): Brotli at its best quality and gzip at level
// 9, made once at build time so that no request pays for compression.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Precompressed } from "../routes/content_coding.ts";

/** Which build outputs get encoded copies: the text the browser fetches. */
export function isCompressible(fileName: string): boolean {
  return /\.(?:js|css)$/.test(fileName);
}

export function encode(
  coding: Precompressed["coding"],
  contents: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const encoded = coding === "br"
    ? brotliCompressSync(contents, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_SIZE_HINT]: contents.byteLength,
      },
    })
    : gzipSync(contents, { level: constants.Z_BEST_COMPRESSION });
  return new Uint8Array(encoded);
}
