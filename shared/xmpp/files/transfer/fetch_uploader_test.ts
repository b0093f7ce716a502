import assert from "node:assert/strict";
import { fetchUploader } from "./fetch_uploader.ts";
import type { UploadRequest, UploadResult } from "./uploader.ts";
import {
  randomBytes,
  startTestServer,
} from "../../../../tests/support/http_test_server.ts";

const MiB = 1024 * 1024;
const uploader = fetchUploader();

function reasonOf(result: UploadResult) {
  return result.ok ? "ok" : result.error.reason;
}

function slot(
  url: string,
  body: Uint8Array<ArrayBuffer>,
  extra: Partial<UploadRequest> = {},
): UploadRequest {
  return {
    url,
    headers: [
      { name: "Authorization", value: "Basic c2xvdA==" },
      // XEP-0363 §4: not an allowed slot header, so it must not be sent.
      { name: "X-Evil", value: "1" },
    ],
    body,
    size: body.byteLength,
    contentType: "image/png",
    ...extra,
  };
}

Deno.test("fetchUploader PUTs the bytes with the slot's headers", async () => {
  const file = randomBytes(300 * 1024);
  let seen: { method: string; headers: Headers; body: Uint8Array } | undefined;
  const server = startTestServer(async (req) => {
    const body = new Uint8Array(await req.arrayBuffer());
    seen = { method: req.method, headers: req.headers, body };
    return new Response(null, { status: 201 });
  });
  try {
    const progress: [number, number][] = [];
    const result = await uploader.put(
      slot(`${server.origin}/up`, file, {
        onProgress: (sent, total) => progress.push([sent, total]),
      }),
    );
    assert.deepEqual(result, { ok: true, status: 201 });
    assert.ok(seen);
    assert.equal(seen.method, "PUT");
    assert.equal(seen.headers.get("authorization"), "Basic c2xvdA==");
    assert.equal(seen.headers.get("x-evil"), null);
    assert.equal(seen.headers.get("content-type"), "image/png");
    assert.equal(seen.headers.get("content-length"), String(file.byteLength));
    assert.deepEqual(seen.body, file);
    assert.deepEqual(progress, [[0, file.byteLength], [
      file.byteLength,
      file.byteLength,
    ]]);
  } finally {
    await server.close();
  }
});

Deno.test("fetchUploader sends a Blob body too", async () => {
  const file = randomBytes(1000);
  let got = new Uint8Array();
  const server = startTestServer(async (req) => {
    got = new Uint8Array(await req.arrayBuffer());
    return new Response(null, { status: 200 });
  });
  try {
    const result = await uploader.put({
      ...slot(`${server.origin}/up`, file),
      body: new Blob([file]),
    });
    assert.equal(reasonOf(result), "ok");
    assert.deepEqual(got, file);
  } finally {
    await server.close();
  }
});

Deno.test("fetchUploader maps the server's refusals to reasons", async () => {
  const server = startTestServer(async (req) => {
    await req.body?.cancel();
    return new Response("no", {
      status: Number(new URL(req.url).pathname.slice(1)),
    });
  });
  try {
    for (
      const [status, reason] of [
        [413, "too-large"],
        [401, "refused"],
        [403, "refused"],
        [500, "server"],
        [503, "server"],
        [409, "http"],
      ] as const
    ) {
      const progress: number[] = [];
      const result = await uploader.put(
        slot(`${server.origin}/${status}`, randomBytes(100), {
          onProgress: (sent) => progress.push(sent),
        }),
      );
      assert.equal(reasonOf(result), reason, `HTTP ${status}`);
      assert.ok(!result.ok && result.error.status === status);
      assert.deepEqual(progress, [0], "no completion reported on failure");
    }
  } finally {
    await server.close();
  }
});

Deno.test("fetchUploader is cancelled mid-way by its signal", async () => {
  const total = 32 * MiB;
  let firstChunk!: () => void;
  const started = new Promise<void>((resolve) => firstChunk = resolve);
  let serverDone!: (outcome: { received: number; failed: boolean }) => void;
  const server = startTestServer(async (req) => {
    // Reads slowly, so the client is still sending when it cancels.
    let received = 0;
    let failed = false;
    const reader = req.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.byteLength;
        firstChunk();
        await new Promise((r) => setTimeout(r, 2));
      }
    } catch {
      failed = true;
    }
    serverDone({ received, failed });
    return new Response(null, { status: 201 });
  });
  const outcome = new Promise<{ received: number; failed: boolean }>((r) =>
    serverDone = r
  );
  try {
    const cancel = new AbortController();
    const pending = uploader.put(
      slot(`${server.origin}/up`, randomBytes(total), {
        signal: cancel.signal,
      }),
    );
    await started;
    cancel.abort();
    assert.equal(reasonOf(await pending), "cancelled");
    const { received, failed } = await outcome;
    assert.ok(failed, "the server saw the request body break off");
    assert.ok(received < total, `server received ${received}`);
  } finally {
    await server.close();
  }
});

Deno.test("fetchUploader refuses a body unlike its slot before sending", async () => {
  let requests = 0;
  const server = startTestServer(() => {
    requests++;
    return new Response(null, { status: 201 });
  });
  try {
    const file = randomBytes(10);
    const wrongSize = await uploader.put(
      slot(`${server.origin}/up`, file, { size: 11 }),
    );
    assert.equal(reasonOf(wrongSize), "size-mismatch");
    const cancelled = await uploader.put(
      slot(`${server.origin}/up`, file, { signal: AbortSignal.abort() }),
    );
    assert.equal(reasonOf(cancelled), "cancelled");
    assert.equal(requests, 0);
  } finally {
    await server.close();
  }
});

Deno.test("fetchUploader reports an unreachable server", async () => {
  const server = startTestServer(() => new Response(null, { status: 201 }));
  const origin = server.origin;
  await server.close();
  const result = await uploader.put(slot(`${origin}/up`, randomBytes(10)));
  assert.equal(reasonOf(result), "unreachable");
});
