import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../../tests/support/fuzz.ts";
import { HeightTree } from "./height_tree.ts";

const RUNS = fuzzRuns(7331);

function naiveOffsets(sizes: readonly number[]): number[] {
  const offsets = [0];
  for (const size of sizes) offsets.push(offsets.at(-1)! + size);
  return offsets;
}

function naiveIndexAt(sizes: readonly number[], y: number): number {
  if (sizes.length === 0) return -1;
  const offsets = naiveOffsets(sizes);
  let index = 0;
  for (let i = 0; i < sizes.length; i++) if (offsets[i] <= y) index = i;
  return index;
}

Deno.test("height tree", async (t) => {
  await t.step("offsets, total and the row under a point", () => {
    const tree = new HeightTree([10, 20, 30, 40]);
    assert.deepEqual([0, 1, 2, 3, 4].map((i) => tree.offsetOf(i)), [
      0,
      10,
      30,
      60,
      100,
    ]);
    assert.equal(tree.total, 100);
    assert.deepEqual(
      [-5, 0, 9.5, 10, 59, 60, 1_000].map((y) => tree.indexAt(y)),
      [
        0,
        0,
        0,
        1,
        2,
        3,
        3,
      ],
    );
  });

  await t.step("one row's new height moves the rows below it", () => {
    const tree = new HeightTree([10, 20, 30, 40]);
    assert.equal(tree.set(1, 25), true);
    assert.equal(tree.set(1, 25), false);
    assert.deepEqual([tree.offsetOf(2), tree.total, tree.sizeOf(1)], [
      35,
      105,
      25,
    ]);
    assert.equal(tree.indexAt(34), 1);
  });

  await t.step("an empty tree", () => {
    const tree = new HeightTree([]);
    assert.deepEqual([tree.count, tree.total, tree.indexAt(10)], [0, 0, -1]);
    assert.equal(tree.set(0, 5), false);
  });

  await t.step("agrees with plain sums after any updates", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 120 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 300 })), {
          maxLength: 40,
        }),
        fc.integer({ min: -10, max: 40_000 }),
        (sizes, updates, y) => {
          const tree = new HeightTree(sizes);
          const model = [...sizes];
          for (const [at, size] of updates) {
            if (model.length === 0) break;
            tree.set(at % model.length, size);
            model[at % model.length] = size;
          }
          assert.deepEqual(
            model.map((_, i) => tree.offsetOf(i)),
            naiveOffsets(model).slice(0, -1),
          );
          assert.equal(tree.total, naiveOffsets(model).at(-1));
          assert.equal(tree.indexAt(y), naiveIndexAt(model, y));
        },
      ),
      RUNS,
    );
  });
});
