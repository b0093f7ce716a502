import assert from "node:assert/strict";
import { pure } from "./pure.ts";

interface Props {
  readonly a: number;
  readonly b?: object;
}

function shouldUpdate(now: Props, next: Props): boolean {
  const Pure = pure<Props>(() => null);
  const instance = new (Pure as unknown as new (props: Props) => {
    props: Props;
    shouldComponentUpdate(next: Props): boolean;
  })(now);
  instance.props = now;
  return instance.shouldComponentUpdate(next);
}

Deno.test("pure", async (t) => {
  const shared = {};
  await t.step("the same props by identity: no render", () => {
    assert.equal(shouldUpdate({ a: 1, b: shared }, { a: 1, b: shared }), false);
  });
  await t.step("a changed, added or removed prop: render", () => {
    assert.equal(shouldUpdate({ a: 1 }, { a: 2 }), true);
    assert.equal(shouldUpdate({ a: 1, b: shared }, { a: 1, b: {} }), true);
    assert.equal(shouldUpdate({ a: 1 }, { a: 1, b: shared }), true);
    assert.equal(shouldUpdate({ a: 1, b: shared }, { a: 1 }), true);
  });
});
