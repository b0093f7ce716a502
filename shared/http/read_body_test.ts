import assert from "node:assert/strict";
import { readBody } from "./read_body.ts";

function streamOf(chunks: readonly number[]) {
  let cancelled = false;
  let at = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at === chunks.length) return controller.close();
      const length = chunks[at];
      controller.enqueue(new Uint8Array(length).fill(at + 1));
      at++;
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled, pulled: () => at };
}

Deno.test("readBody", async (t) => {
  await t.step("joins the chunks in order, up to the bound", async () => {
    const counts: number[] = [];
    const { stream } = streamOf([2, 3, 1]);
    const bytes = await readBody(stream, 6, 0, (n) => counts.push(n));
    assert.deepEqual([...bytes!], [1, 1, 2, 2, 2, 3]);
    assert.deepEqual(counts, [2, 5, 6]);
  });

  await t.step(
    "a size hint too small or too large still gives the bytes",
    async () => {
      assert.deepEqual([...(await readBody(streamOf([4, 4]).stream, 10, 3))!], [
        1,
        1,
        1,
        1,
        2,
        2,
        2,
        2,
      ]);
      assert.equal((await readBody(streamOf([2]).stream, 10, 9))!.length, 2);
    },
  );

  await t.step(
    "the first chunk past the bound cancels the stream",
    async () => {
      const source = streamOf([3, 3, 3, 3]);
      assert.equal(await readBody(source.stream, 5), undefined);
      assert.equal(source.cancelled(), true);
      assert.equal(source.pulled() <= 3, true, "no more read than needed");
    },
  );

  await t.step("no body is no bytes", async () => {
    assert.equal((await readBody(null, 10))!.length, 0);
  });

  await t.step("a failing stream rejects", async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.error(new TypeError("network"));
      },
    });
    await assert.rejects(readBody(failing, 10), TypeError);
  });
});
