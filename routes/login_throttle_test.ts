import assert from "node:assert/strict";
import { LoginThrottle } from "./login_throttle.ts";

Deno.test("LoginThrottle", async (t) => {
  const clock = { now: 1_000_000 };
  const throttle = new LoginThrottle({
    maxFailures: 3,
    windowMs: 60_000,
    now: () => clock.now,
    maxKeys: 2,
  });

  await t.step("allows until the limit, then says how long to wait", () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(throttle.retryAfterSeconds(["a"]), 0);
      throttle.recordFailure(["a"]);
      clock.now += 10_000;
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    assert.equal(throttle.retryAfterSeconds(["a"]), 30);
    assert.equal(throttle.retryAfterSeconds(["b"]), 0);
    assert.equal(
      throttle.retryAfterSeconds(["b", "a"]),
      30,
      "the longest wait of all keys",
    );
  });
  await t.step("the sliding window frees one attempt at a time", () => {
    clock.now += 30_000;
    assert.equal(throttle.retryAfterSeconds(["a"]), 0);
    throttle.recordFailure(["a"]);
    assert.equal(throttle.retryAfterSeconds(["a"]), 10);
  });
  await t.step("reset forgets a key", () => {
    throttle.reset(["a"]);
    assert.equal(throttle.retryAfterSeconds(["a"]), 0);
  });
  await t.step(
    "memory is bounded: the least recently failed key goes first",
    () => {
      for (const key of ["k1", "k2", "k3"]) {
        for (let i = 0; i < 3; i++) throttle.recordFailure([key]);
      }
      assert.equal(throttle.retryAfterSeconds(["k1"]), 0, "evicted");
      assert.ok(throttle.retryAfterSeconds(["k2"]) > 0);
      assert.ok(throttle.retryAfterSeconds(["k3"]) > 0);
    },
  );
});
