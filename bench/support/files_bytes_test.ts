import assert from "node:assert/strict";
import {
  benchFileName,
  firstDifference,
  parseBenchFileName,
  seededBytes,
} from "./files_bytes.ts";

Deno.test("a seed gives the same bytes, another seed others", () => {
  const a = seededBytes(7, 1001);
  assert.equal(a.byteLength, 1001);
  assert.equal(firstDifference(a, seededBytes(7, 1001)), -1);
  assert.notEqual(firstDifference(a, seededBytes(8, 1001)), -1);
});

Deno.test("the bytes do not compress (no run of one value)", () => {
  const bytes = seededBytes(1, 65_536);
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b]++;
  // Uniform: each value about 256 times.
  assert.ok(Math.min(...counts) > 150 && Math.max(...counts) < 370, "spread");
});

Deno.test("the name carries seed and size, and only a bench name parses", () => {
  assert.deepEqual(parseBenchFileName(benchFileName(42, 5_000_000)), {
    seed: 42,
    size: 5_000_000,
  });
  assert.equal(parseBenchFileName("bench-1-2.bin.exe"), undefined);
  assert.equal(parseBenchFileName("../bench-1-2.bin"), undefined);
});

Deno.test("firstDifference finds a change and a length mismatch", () => {
  const a = seededBytes(3, 100);
  const b = a.slice();
  b[57] ^= 1;
  assert.equal(firstDifference(a, b), 57);
  assert.equal(firstDifference(a, a.subarray(0, 90)), 90);
});
