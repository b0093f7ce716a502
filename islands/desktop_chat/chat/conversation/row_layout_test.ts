import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../../tests/support/fuzz.ts";
import type { ListRow } from "./message_rows.ts";
import { HeightTree } from "./height_tree.ts";
import {
  anchorAt,
  DAY_ROW_HEIGHT,
  estimateRowHeight,
  indexNear,
  isAtBottom,
  scrollTopFor,
  visibleRange,
} from "./row_layout.ts";

const RUNS = fuzzRuns(4242);

function message(body: string, continued = false): ListRow {
  return {
    kind: "message",
    key: `m:${body}`,
    continued,
    message: { id: body, direction: "in", body, at: 0, state: "delivered" },
  };
}

Deno.test("row layout", async (t) => {
  const offsets = new HeightTree([10, 20, 30, 40]);

  await t.step("the rows in view plus overscan", () => {
    assert.deepEqual(visibleRange(offsets, 30, 20, 0), { start: 2, end: 3 });
    assert.deepEqual(visibleRange(offsets, 30, 20, 15), { start: 1, end: 4 });
    assert.deepEqual(visibleRange(offsets, 0, 1_000, 0), { start: 0, end: 4 });
    assert.deepEqual(visibleRange(new HeightTree([]), 0, 100, 50), {
      start: 0,
      end: 0,
    });
  });

  await t.step("at the bottom within the slack", () => {
    assert.ok(isAtBottom(900, 100, 1_000));
    assert.ok(isAtBottom(880, 100, 1_000));
    assert.ok(!isAtBottom(800, 100, 1_000));
    assert.ok(isAtBottom(0, 300, 100));
  });

  await t.step("an anchor holds its row still as rows above change", () => {
    const keys = ["a", "b", "c", "d"];
    const anchor = anchorAt((i) => keys[i], offsets, 35);
    assert.deepEqual(anchor, { key: "c", index: 2, delta: -5 });
    // "a" measured 50 px taller, and a row dropped before it: same spot.
    const after = new HeightTree([60, 20, 30]);
    const left = ["a", "b", "c"];
    assert.equal(scrollTopFor(anchor!, (i) => left[i], after), 85);
    const shifted = ["x", "y", "a", "b", "c"];
    const longer = new HeightTree([5, 5, 60, 20, 30]);
    assert.equal(scrollTopFor(anchor!, (i) => shifted[i], longer), 95);
    assert.equal(
      scrollTopFor({ key: "gone", index: 1, delta: 0 }, (i) => left[i], after),
      undefined,
    );
    assert.equal(anchorAt(() => "", new HeightTree([]), 0), undefined);
  });

  await t.step("a key is found from a hint, either way, or not at all", () => {
    const keys = ["a", "b", "c", "d", "e"];
    const keyAt = (i: number) => keys[i];
    assert.equal(indexNear(5, keyAt, "c", 2), 2);
    assert.equal(indexNear(5, keyAt, "a", 4), 0);
    assert.equal(indexNear(5, keyAt, "e", 0), 4);
    assert.equal(indexNear(5, keyAt, "e", 99), 4);
    assert.equal(indexNear(5, keyAt, "z", 2), -1);
    assert.equal(indexNear(0, keyAt, "a", 0), -1);
  });

  await t.step("estimates grow with the text and the width it wraps in", () => {
    assert.equal(
      estimateRowHeight({ kind: "day", key: "d", at: 0 }, 400),
      DAY_ROW_HEIGHT,
    );
    const short = estimateRowHeight(message("hi"), 400);
    const long = estimateRowHeight(message("x".repeat(500)), 400);
    const wide = estimateRowHeight(message("x".repeat(500)), 1_200);
    const lines = estimateRowHeight(message("a\nb\nc"), 400);
    assert.ok(long > short && wide < long && lines > short);
    assert.ok(estimateRowHeight(message("hi", true), 400) < short);
  });

  await t.step("the mounted rows always cover the viewport", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 400 }), {
          minLength: 1,
          maxLength: 200,
        }),
        fc.nat(),
        fc.integer({ min: 1, max: 900 }),
        (sizes, at, height) => {
          const layout = new HeightTree(sizes);
          const total = layout.total;
          const top = at % total;
          const { start, end } = visibleRange(layout, top, height, 0);
          assert.ok(layout.offsetOf(start) <= top);
          assert.ok(layout.offsetOf(end) >= Math.min(total, top + height));
        },
      ),
      RUNS,
    );
  });
});
