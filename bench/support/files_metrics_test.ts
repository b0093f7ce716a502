import assert from "node:assert/strict";
import { fileMetrics, sampleOf, sizeLabel } from "./files_metrics.ts";

Deno.test("a sample splits the path at the clock readings", () => {
  const sample = sampleOf(
    { id: "a", start: 1000, uploading: 1010, offered: 1060 },
    { id: "a", offer: 1062, verified: 1100, bytes: 5, identical: true },
  );
  assert.deepEqual(sample, {
    total: 100,
    prepare: 10,
    upload: 50,
    offer: 2,
    download: 38,
  });
});

Deno.test("MB/s from the median and the slowest run, MB = 10^6 bytes", () => {
  const run = (total: number) => ({
    total,
    prepare: 1,
    upload: total / 2,
    offer: 1,
    download: total / 2 - 2,
  });
  const metrics = fileMetrics("bosh.file.5mb", 5_000_000, [
    run(100),
    run(200),
    run(50),
  ]);
  const value = (name: string) => metrics.find((m) => m.name === name)?.value;
  assert.equal(value("bosh.file.5mb.MBps"), 50);
  assert.equal(value("bosh.file.5mb.MBps.min"), 25);
  assert.equal(value("bosh.file.5mb.ms.max"), 200);
  assert.equal(value("bosh.file.5mb.upload.ms.p50"), 50);
  assert.ok(metrics.every((m) => m.n === 3));
  assert.equal(sizeLabel(1_000_000), "1mb");
});
