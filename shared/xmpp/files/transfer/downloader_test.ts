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
    const seen: [number, number | undefined][] = [];
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

// A bare XEP-0066 link (Conversations, Gajim, Dino, Monal, Converse.js)
// offers neither size nor hash: the policy's limit bounds the bytes, and
// there is nothing to check them against.

/** `bytes` as a chunked body (no Content-Length), `every` bytes a chunk. */
function chunked(bytes: Uint8Array, every: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, at += every));
    },
  });
}

Deno.test("download without size or hash returns the bytes as they came", async (t) => {
  const file = randomBytes(300_001);
  const server = startTestServer((request) =>
    new URL(request.url).pathname === "/declared"
      ? new Response(file)
      // Small chunks: the buffer grows past its first 64 KiB.
      : new Response(chunked(file, 7_000))
  );
  try {
    for (const path of ["/declared", "/chunked"]) {
      await t.step(path, async () => {
        const expected: (number | undefined)[] = [];
        const result = await download({
          url: `${server.origin}${path}`,
          maxBytes: file.byteLength,
          onProgress: (_, size) => expected.push(size),
        });
        assert.ok(result.ok, result.ok ? "" : result.error.reason);
        assert.deepEqual(result.bytes, file);
        // The size is known once the server declares it; chunked, never.
        assert.deepEqual(
          [...new Set(expected)],
          [path === "/declared" ? file.byteLength : undefined],
        );
      });
    }
  } finally {
    await server.close();
  }
});

Deno.test("download without a size is cut at the policy's limit", async (t) => {
  const limit = MiB;
  await t.step(
    "a Content-Length above it: refused before reading",
    async () => {
      const body = slowBody(randomBytes(64 * 1024), 2 * MiB, 20);
      const server = startTestServer(() =>
        new Response(body.stream, {
          headers: { "content-length": String(2 * MiB) },
        })
      );
      try {
        const seen: number[] = [];
        const result = await download({
          url: `${server.origin}/f`,
          maxBytes: limit,
          onProgress: (received) => seen.push(received),
        });
        // Too large for us, not other than offered: nothing was offered.
        assert.equal(reasonOf(result), "too-large");
        assert.ok(!result.ok && result.error.status === 200);
        assert.deepEqual(seen, [], "no byte was read");
        await body.state.closed;
        assert.ok(body.state.cancelled, "the server saw the connection close");
      } finally {
        await server.close();
      }
    },
  );
  await t.step("a chunked body: the first chunk past it aborts", async () => {
    const total = 64 * MiB;
    const body = slowBody(randomBytes(64 * 1024), total);
    const server = startTestServer(() => new Response(body.stream));
    try {
      let most = 0;
      const result = await download({
        url: `${server.origin}/f`,
        maxBytes: limit,
        onProgress: (received) => most = Math.max(most, received),
      });
      assert.equal(reasonOf(result), "too-large");
      assert.ok(most <= limit, `held ${most} bytes, limit ${limit}`);
      await body.state.closed;
      assert.ok(body.state.cancelled, "the server's stream was cancelled");
      assert.ok(body.state.sent() < total, `sent ${body.state.sent()}`);
    } finally {
      await server.close();
    }
  });
  await t.step("exactly the limit is taken", async () => {
    const file = randomBytes(limit);
    const server = startTestServer(() => new Response(chunked(file, 65_536)));
    try {
      const result = await download({
        url: `${server.origin}/f`,
        maxBytes: limit,
      });
      assert.ok(result.ok && result.bytes.byteLength === limit);
    } finally {
      await server.close();
    }
  });
});

Deno.test("download checks what was offered of size and hash, each alone", async (t) => {
  const file = randomBytes(10_000);
  const server = startTestServer(() => new Response(chunked(file, 4_096)));
  const hash = toBase64(await sha256Of(file));
  const url = `${server.origin}/f`;
  const maxBytes = MiB;
  try {
    await t.step("a size without a hash still caps the bytes", async () => {
      const exact = await download({ url, maxBytes, size: file.byteLength });
      assert.ok(exact.ok);
      assert.deepEqual(exact.bytes, file);
      const less = await download({ url, maxBytes, size: 9_999 });
      assert.equal(reasonOf(less), "size-exceeded");
      const more = await download({ url, maxBytes, size: 10_001 });
      assert.equal(reasonOf(more), "size-mismatch");
    });
    await t.step("a hash without a size is still checked", async () => {
      assert.ok((await download({ url, maxBytes, sha256: hash })).ok);
      const other = toBase64(await sha256Of(randomBytes(8)));
      const wrong = await download({ url, maxBytes, sha256: other });
      assert.equal(reasonOf(wrong), "hash-mismatch");
    });
  } finally {
    await server.close();
  }
});
