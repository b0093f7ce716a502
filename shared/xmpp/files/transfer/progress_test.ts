import assert from "node:assert/strict";
import {
  advanceProgress,
  progressFraction,
  RATE_WINDOW_MS,
  remainingMs,
  startProgress,
} from "./progress.ts";

Deno.test("progress: the first full window sets the rate", () => {
  let p = startProgress(10_000, 1000);
  assert.equal(p.rate, 0);
  assert.equal(remainingMs(p), undefined);
  p = advanceProgress(p, 100, 1100);
  // Inside the window: bytes move, the rate waits.
  assert.equal(p.bytes, 100);
  assert.equal(p.rate, 0);
  p = advanceProgress(p, 1000, 1000 + 2 * RATE_WINDOW_MS);
  assert.equal(p.rate, 1000 * 1000 / (2 * RATE_WINDOW_MS));
  assert.equal(remainingMs(p), Math.ceil(9000 * 1000 / p.rate));
});

Deno.test("progress: the rate follows a change of pace smoothly", () => {
  let p = startProgress(1e9, 0);
  let t = 0;
  let bytes = 0;
  for (let i = 0; i < 8; i++) {
    t += 500;
    bytes += 500_000; // 1 MB/s
    p = advanceProgress(p, bytes, t);
  }
  assert.ok(Math.abs(p.rate - 1e6) < 1, `steady ${p.rate}`);
  t += 500;
  bytes += 1_500_000; // a window at 3 MB/s
  p = advanceProgress(p, bytes, t);
  assert.ok(p.rate > 1e6 && p.rate < 3e6, `between paces: ${p.rate}`);
  for (let i = 0; i < 20; i++) {
    t += 500;
    bytes += 1_500_000;
    p = advanceProgress(p, bytes, t);
  }
  assert.ok(Math.abs(p.rate - 3e6) < 1e4, `settled: ${p.rate}`);
});

Deno.test("progress: fraction stays within 0 … 1", () => {
  const p = startProgress(200, 0);
  assert.equal(progressFraction(p), 0);
  assert.equal(progressFraction(advanceProgress(p, 50, 1)), 0.25);
  assert.equal(progressFraction(advanceProgress(p, 500, 1)), 1);
  assert.equal(progressFraction(startProgress(0, 0)), 1);
  const done = advanceProgress(advanceProgress(p, 100, 300), 200, 600);
  assert.equal(remainingMs(done), 0);
});
