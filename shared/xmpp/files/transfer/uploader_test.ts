import assert from "node:assert/strict";
import { preflight, putHeaders, uploadOutcome } from "./uploader.ts";

Deno.test("putHeaders keeps only XEP-0363's allowed slot headers", () => {
  const headers = putHeaders({
    headers: [
      { name: "Authorization", value: "Bearer t" },
      { name: "cookie", value: "s=1" },
      { name: "EXPIRES", value: "Sat, 05 Dec 2026 18:00:00 GMT" },
      { name: "Host", value: "evil.example" },
      { name: "Content-Length", value: "1" },
      { name: "X-Other", value: "1" },
    ],
    contentType: "text/plain",
  });
  assert.deepEqual(headers, [
    ["Authorization", "Bearer t"],
    ["cookie", "s=1"],
    ["EXPIRES", "Sat, 05 Dec 2026 18:00:00 GMT"],
    ["Content-Type", "text/plain"],
  ]);
});

Deno.test("putHeaders strips newlines and controls (XEP-0363 §8)", () => {
  const headers = putHeaders({
    headers: [
      { name: "Author\r\nization", value: "Basic a\r\nX-Injected: 1\0" },
    ],
    contentType: "image/png\r\nX-Injected: 1",
  });
  assert.deepEqual(headers, [
    ["Authorization", "Basic aX-Injected: 1"],
    ["Content-Type", "image/pngX-Injected: 1"],
  ]);
  // What survives is a valid header list for fetch.
  assert.doesNotThrow(() => new Headers(headers));
});

Deno.test("putHeaders drops values fetch cannot carry, defaults the type", () => {
  const headers = putHeaders({
    headers: [{ name: "Authorization", value: "Bearer ✓" }],
    contentType: "",
  });
  assert.deepEqual(headers, [["Content-Type", "application/octet-stream"]]);
  const unicodeType = putHeaders({ headers: [], contentType: "text/✓" });
  assert.deepEqual(unicodeType, [["Content-Type", "application/octet-stream"]]);
});

Deno.test("uploadOutcome: 2xx is ok, the rest a reason with its status", () => {
  assert.deepEqual(uploadOutcome(201), { ok: true, status: 201 });
  assert.deepEqual(uploadOutcome(200), { ok: true, status: 200 });
  for (
    const [status, reason] of [
      [413, "too-large"],
      [401, "refused"],
      [403, "refused"],
      [404, "not-found"],
      [500, "server"],
      [302, "http"],
      [0, "http"],
    ] as const
  ) {
    const outcome = uploadOutcome(status);
    assert.ok(!outcome.ok);
    assert.equal(outcome.error.reason, reason, `HTTP ${status}`);
    assert.equal(outcome.error.status, status);
  }
});

Deno.test("preflight holds the body to the slot's size", () => {
  const base = {
    url: "https://upload.example/x",
    headers: [],
    contentType: "text/plain",
  };
  const bytes = new Uint8Array(3);
  assert.equal(preflight({ ...base, body: bytes, size: 3 }), undefined);
  assert.equal(
    preflight({ ...base, body: new Blob([bytes]), size: 3 }),
    undefined,
  );
  assert.equal(
    preflight({ ...base, body: bytes, size: 4 })?.error.reason,
    "size-mismatch",
  );
  assert.equal(
    preflight({ ...base, body: bytes, size: NaN })?.error.reason,
    "size-mismatch",
  );
});
