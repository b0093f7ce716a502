import assert from "node:assert/strict";
import { download, type DownloadRequest } from "./downloader.ts";
import { MAX_TRANSFER_BYTES, TransferError } from "./transfer_error.ts";
import { sha256Of, toBase64 } from "./digest.ts";
import {
  randomBytes,
  slowBody,
  startTestServer,
} from "../../../../tests/support/http_test_server.ts";

const MiB = 1024 * 1024;

function reasonOf(result: Awaited<ReturnType<typeof download>>) {
  return result.ok ? "ok" : result.error.reason;
}

async function offer(
  url: string,
  bytes: Uint8Array<ArrayBuffer>,
  extra: Partial<DownloadRequest> = {},
): Promise<DownloadRequest> {
  return {
    url,
    size: bytes.byteLength,
    sha256: toBase64(await sha256Of(bytes)),
    maxBytes: MAX_TRANSFER_BYTES,
    ...extra,
  };
}

Deno.test("download returns the offered bytes when size and hash match", async () => {
  const file = randomBytes(5 * 1000 * 1000);
  const server = startTestServer(() => new Response(file));
  try {
    const seen: [number, number][] = [];
    const result = await download(
      await offer(`${server.origin}/f`, file, {
        onProgress: (received, expected) => seen.push([received, expected]),
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.bytes, file);
    assert.deepEqual(seen.at(-1), [file.byteLength, file.byteLength]);
    assert.ok(seen.length > 2, "progress is reported chunk by chunk");
  } finally {
    await server.close();
  }
});

Deno.test("download stops reading at once when a chunked body outgrows the offer", async () => {
  const total = 64 * MiB;
  const body = slowBody(randomBytes(64 * 1024), total);
  // No Content-Length: a ReadableStream body goes out chunked.
  const server = startTestServer(() => new Response(body.stream));
  try {
    let most = 0;
    const result = await download(
      await offer(`${server.origin}/f`, randomBytes(MiB), {
        onProgress: (received) => most = Math.max(most, received),
      }),
    );
    assert.equal(reasonOf(result), "size-exceeded");
    assert.ok(most <= MiB, `held ${most} bytes, offered ${MiB}`);
    // The server saw the connection close long before it could send it all.
    await body.state.closed;
    assert.ok(body.state.cancelled, "the server's stream was cancelled");
    assert.ok(body.state.sent() < total, `sent ${body.state.sent()}`);
  } finally {
    await server.close();
  }
});

Deno.test("download refuses a Content-Length above the offer before reading", async () => {
  // Slow, so the whole body cannot sit in socket buffers before we refuse.
  const body = slowBody(randomBytes(64 * 1024), 2 * MiB, 20);
  const server = startTestServer(() =>
    new Response(body.stream, {
      headers: { "content-length": String(2 * MiB) },
    })
  );
  try {
    const seen: number[] = [];
    const result = await download(
      await offer(`${server.origin}/f`, randomBytes(MiB), {
        onProgress: (received) => seen.push(received),
      }),
    );
    assert.equal(reasonOf(result), "size-exceeded");
    assert.deepEqual(seen, [], "no byte was read");
    await body.state.closed;
    assert.ok(body.state.cancelled, "the server saw the connection close");
    assert.ok(body.state.sent() < 2 * MiB);
  } finally {
    await server.close();
  }
});

Deno.test("download counts decoded bytes when the body is gzip-encoded", async () => {
  // Random bytes grow under gzip: the encoded Content-Length exceeds the
  // offer while the decoded file is exactly the offered size.
  const file = randomBytes(100_000);
  const gzipped = new Uint8Array(
    await new Response(
      new Blob([file]).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  assert.ok(gzipped.byteLength > file.byteLength);
  const server = startTestServer(() =>
    new Response(gzipped, {
      headers: {
        "content-encoding": "gzip",
        "content-length": String(gzipped.byteLength),
      },
    })
  );
  try {
    const result = await download(await offer(`${server.origin}/f`, file));
    assert.ok(result.ok, result.ok ? "" : result.error.reason);
    assert.deepEqual(result.bytes, file);
  } finally {
    await server.close();
  }
});

Deno.test("download reports a wrong hash and returns no bytes", async () => {
  const file = randomBytes(256 * 1024);
  const server = startTestServer(() => new Response(file));
  try {
    const other = toBase64(await sha256Of(randomBytes(16)));
    const result = await download(
      await offer(`${server.origin}/f`, file, { sha256: other }),
    );
    assert.equal(reasonOf(result), "hash-mismatch");
    assert.ok(!("bytes" in result));
  } finally {
    await server.close();
  }
});

Deno.test("download reports a body shorter than offered", async () => {
  const file = randomBytes(1000);
  const server = startTestServer(() => new Response(file.slice(0, 999)));
  try {
    const result = await download(await offer(`${server.origin}/f`, file));
    assert.equal(reasonOf(result), "size-mismatch");
  } finally {
    await server.close();
  }
});

Deno.test("download is cancelled mid-way by its signal", async () => {
  const body = slowBody(randomBytes(16 * 1024), 64 * MiB, 20);
  const server = startTestServer(() => new Response(body.stream));
  try {
    const cancel = new AbortController();
    let received = 0;
    const result = await download(
      await offer(`${server.origin}/f`, randomBytes(4 * MiB), {
        signal: cancel.signal,
        onProgress: (bytes) => {
          received = bytes;
          if (bytes > 0) cancel.abort();
        },
      }),
    );
    assert.equal(reasonOf(result), "cancelled");
    assert.ok(received > 0 && received < 4 * MiB);
    await body.state.closed;
    assert.ok(body.state.cancelled, "the server saw the connection close");
  } finally {
    await server.close();
  }
});

Deno.test("download maps HTTP failures to reasons", async () => {
  const server = startTestServer((req) =>
    new Response("no", { status: Number(new URL(req.url).pathname.slice(1)) })
  );
  try {
    const file = randomBytes(10);
    for (
      const [status, reason] of [
        [404, "not-found"],
        [410, "not-found"],
        [403, "refused"],
        [500, "server"],
        [418, "http"],
      ] as const
    ) {
      const result = await download(
        await offer(`${server.origin}/${status}`, file),
      );
      assert.equal(reasonOf(result), reason, `HTTP ${status}`);
      assert.ok(!result.ok && result.error.status === status);
    }
  } finally {
    await server.close();
  }
});

Deno.test("download refuses an offer over the policy without a request", async () => {
  let requests = 0;
  const server = startTestServer(() => {
    requests++;
    return new Response("x");
  });
  try {
    const file = randomBytes(2048);
    const tooLarge = await download(
      await offer(`${server.origin}/f`, file, { maxBytes: 2047 }),
    );
    assert.equal(reasonOf(tooLarge), "too-large");
    const overCap = await download({
      ...await offer(`${server.origin}/f`, file),
      size: MAX_TRANSFER_BYTES + 1,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
    assert.equal(reasonOf(overCap), "too-large");
    const badHash = await download(
      await offer(`${server.origin}/f`, file, {
        sha256: toBase64(new Uint8Array(20)),
      }),
    );
    assert.equal(reasonOf(badHash), "bad-request");
    const badSize = await download(
      await offer(`${server.origin}/f`, file, { size: 1.5 }),
    );
    assert.equal(reasonOf(badSize), "bad-request");
    const cancelled = await download(
      await offer(`${server.origin}/f`, file, { signal: AbortSignal.abort() }),
    );
    assert.equal(reasonOf(cancelled), "cancelled");
    assert.equal(requests, 0);
  } finally {
    await server.close();
  }
});

Deno.test("download of an empty file checks the empty digest", async () => {
  const server = startTestServer(() => new Response(null));
  try {
    const result = await download(
      await offer(`${server.origin}/f`, new Uint8Array(0)),
    );
    assert.ok(result.ok);
    assert.equal(result.bytes.byteLength, 0);
  } finally {
    await server.close();
  }
});

Deno.test("download reports an unreachable server as a TransferError", async () => {
  const server = startTestServer(() => new Response("x"));
  const origin = server.origin;
  await server.close();
  const result = await download(await offer(`${origin}/f`, randomBytes(1)));
  assert.equal(reasonOf(result), "unreachable");
  assert.ok(!result.ok && result.error instanceof TransferError);
  assert.equal(!result.ok && result.error.condition, "unreachable");
});
