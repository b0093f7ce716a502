import assert from "node:assert/strict";
import { nextTask } from "./next_task.ts";

Deno.test("nextTask", async (t) => {
  await t.step(
    "runs after the microtasks queued before and by them",
    async () => {
      const order: string[] = [];
      const done = new Promise<void>((resolve) =>
        nextTask(() => {
          order.push("task");
          resolve();
        })
      );
      queueMicrotask(() => {
        order.push("micro");
        Promise.resolve().then(() => order.push("chained"));
      });
      await done;
      assert.deepEqual(order, ["micro", "chained", "task"]);
    },
  );

  await t.step("a cancelled task never runs", async () => {
    let ran = false;
    const cancel = nextTask(() => (ran = true));
    cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(ran, false);
  });
});
