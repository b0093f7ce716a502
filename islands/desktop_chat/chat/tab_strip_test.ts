import assert from "node:assert/strict";
import { movedIndex, tabMove, tabStrip } from "./tab_strip.ts";

Deno.test("tab strip", async (t) => {
  await t.step("three chats or fewer: all tabs, nothing more", () => {
    assert.deepEqual(tabStrip([], undefined), { visible: [], hidden: [] });
    assert.deepEqual(tabStrip(["a", "b", "c"], "c"), {
      visible: ["a", "b", "c"],
      hidden: [],
    });
  });
  await t.step("the fourth waits behind More chats", () => {
    assert.deepEqual(tabStrip(["a", "b", "c", "d"], "a"), {
      visible: ["a", "b", "c"],
      hidden: ["d"],
    });
  });
  await t.step("a hidden active chat takes the last tab", () => {
    assert.deepEqual(tabStrip(["a", "b", "c", "d", "e"], "e"), {
      visible: ["a", "b", "e"],
      hidden: ["c", "d"],
    });
    assert.deepEqual(tabStrip(["a", "b", "c", "d", "e"], "d"), {
      visible: ["a", "b", "d"],
      hidden: ["c", "e"],
    });
  });
  await t.step("an active chat that is not open changes nothing", () => {
    assert.deepEqual(tabStrip(["a", "b", "c", "d"], "x"), {
      visible: ["a", "b", "c"],
      hidden: ["d"],
    });
  });
  await t.step("tabs that were shown stay while the agent moves", () => {
    const open = ["a", "b", "c", "d", "e"];
    const first = tabStrip(open, "e");
    assert.deepEqual(first.visible, ["a", "b", "e"]);
    assert.deepEqual(tabStrip(open, "b", first.visible), first);
    assert.deepEqual(tabStrip(open, "d", first.visible), {
      visible: ["a", "b", "d"],
      hidden: ["c", "e"],
    });
  });
  await t.step("a closed tab's place goes to the next open chat", () => {
    assert.deepEqual(tabStrip(["a", "c", "d", "e"], "e", ["a", "b", "e"]), {
      visible: ["a", "c", "e"],
      hidden: ["d"],
    });
  });
  await t.step("another limit", () => {
    assert.deepEqual(tabStrip(["a", "b", "c"], "c", [], 1), {
      visible: ["c"],
      hidden: ["a", "b"],
    });
  });
});

Deno.test("tab keys", () => {
  assert.equal(tabMove("ArrowLeft"), "previous");
  assert.equal(tabMove("ArrowRight"), "next");
  assert.equal(tabMove("Home"), "first");
  assert.equal(tabMove("End"), "last");
  assert.equal(tabMove("ArrowDown"), undefined);
  assert.equal(tabMove("toString"), undefined);
  assert.equal(movedIndex(0, 3, "previous"), 2);
  assert.equal(movedIndex(2, 3, "next"), 0);
  assert.equal(movedIndex(1, 3, "next"), 2);
  assert.equal(movedIndex(1, 3, "first"), 0);
  assert.equal(movedIndex(0, 3, "last"), 2);
  assert.equal(movedIndex(0, 0, "next"), -1);
});
