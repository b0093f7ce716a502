import assert from "node:assert/strict";
import { download } from "./downloader.ts";
import { fetchUploader } from "./fetch_uploader.ts";
import { MAX_TRANSFER_BYTES } from "./transfer_error.ts";
import { sha256Of, toBase64 } from "./digest.ts";
import {
  randomBytes,
  startTestServer,
} from "../../../../tests/support/http_test_server.ts";

Deno.test("a 5 MB random file goes up and comes down byte-identical", async () => {
  // A tiny upload service: PUT stores under the path, GET serves it back.
  const stored = new Map<string, Uint8Array<ArrayBuffer>>();
  const server = startTestServer(async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === "PUT") {
      stored.set(path, new Uint8Array(await req.arrayBuffer()));
      return new Response(null, { status: 201 });
    }
    const file = stored.get(path);
    return file ? new Response(file) : new Response(null, { status: 404 });
  });
  try {
    const file = randomBytes(5 * 1000 * 1000);
    const url = `${server.origin}/slot/report.bin`;
    const put = await fetchUploader().put({
      url,
      headers: [],
      body: new Blob([file]),
      size: file.byteLength,
      contentType: "application/octet-stream",
    });
    assert.deepEqual(put, { ok: true, status: 201 });
    const got = await download({
      url,
      size: file.byteLength,
      sha256: toBase64(await sha256Of(file)),
      maxBytes: MAX_TRANSFER_BYTES,
    });
    assert.ok(got.ok, got.ok ? "" : got.error.message);
    assert.equal(got.bytes.byteLength, file.byteLength);
    assert.deepEqual(got.bytes, file);
  } finally {
    await server.close();
  }
});
