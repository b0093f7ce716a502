import assert from "node:assert/strict";
import { windowRows } from "./virtual_window.ts";

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

Deno.test("virtual window", async (t) => {
  await t.step("the rows in view plus overscan", () => {
    assert.deepEqual(windowRows(5_000, 0, 10, 0), range(0, 16));
    assert.deepEqual(windowRows(5_000, 100, 10, 100), range(94, 116));
  });

  await t.step("keeps the focused row mounted, in order", () => {
    assert.deepEqual(windowRows(5_000, 100, 10, 3), [3, ...range(94, 116)]);
    assert.deepEqual(windowRows(5_000, 100, 10, 4_999), [
      ...range(94, 116),
      4_999,
    ]);
  });

  await t.step("a short or shrunk list", () => {
    assert.deepEqual(windowRows(3, 0, 10, 0), [0, 1, 2]);
    assert.deepEqual(windowRows(20, 500, 10, -1), range(4, 20));
    assert.deepEqual(windowRows(0, 0, 10, -1), []);
  });
});
