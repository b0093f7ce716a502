import assert from "node:assert/strict";
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from "./login_limits.ts";
import { LoginThrottle } from "./login_throttle.ts";

const LIMITS: LoginLimits = {
  ...DEFAULT_LOGIN_LIMITS,
  windowMs: 60_000,
  maxFailuresPerAddress: 3,
  freeFailuresPerUser: 2,
  baseDelayMs: 250,
  maxDelayMs: 3000,
  maxKeys: 2,
};

function fresh(limits: LoginLimits = LIMITS) {
  const clock = { now: 1_000_000 };
  return { clock, throttle: new LoginThrottle(limits, () => clock.now) };
}

Deno.test("LoginThrottle: addresses", async (t) => {
  const { clock, throttle } = fresh();

  await t.step("allows until the limit, then says how long to wait", () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(throttle.check("a", `user${i}`).allowed, true);
      throttle.recordFailure("a", `user${i}`);
      clock.now += 10_000;
    }
    // Failures at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    assert.deepEqual(throttle.check("a", "anyone"), {
      allowed: false,
      retryAfterMs: 30_000,
    });
    assert.equal(throttle.check("b", "user0").allowed, true);
  });
  await t.step("the sliding window frees one attempt at a time", () => {
    clock.now += 30_000;
    assert.equal(throttle.check("a", "x").allowed, true);
    throttle.recordFailure("a", "x");
    assert.deepEqual(throttle.check("a", "x"), {
      allowed: false,
      retryAfterMs: 10_000,
    });
  });
  await t.step("a success forgets the address", () => {
    throttle.recordSuccess("a", "x");
    assert.equal(throttle.check("a", "x").allowed, true);
  });
  await t.step(
    "memory is bounded: the least recently failed key goes first",
    () => {
      for (const key of ["k1", "k2", "k3"]) {
        for (let i = 0; i < 3; i++) throttle.recordFailure(key, "u");
      }
      assert.equal(throttle.check("k1", "u").allowed, true, "evicted");
      assert.equal(throttle.check("k2", "u").allowed, false);
      assert.equal(throttle.check("k3", "u").allowed, false);
    },
  );
});

Deno.test("LoginThrottle: user names are delayed, never refused", async (t) => {
  const { clock, throttle } = fresh({ ...LIMITS, maxKeys: 10_000 });
  const delays: number[] = [];

  await t.step("free failures, then 250 ms doubling up to the cap", () => {
    for (let i = 0; i < 9; i++) {
      const verdict = throttle.check(`198.51.100.${i}`, "admin");
      assert.ok(verdict.allowed, "a user name is never refused");
      delays.push(verdict.delayMs);
      throttle.recordFailure(`198.51.100.${i}`, "admin");
    }
    assert.deepEqual(delays, [0, 0, 250, 500, 1000, 2000, 3000, 3000, 3000]);
  });
  await t.step("the name is compared without case", () => {
    assert.deepEqual(throttle.check("203.0.113.1", "ADMIN"), {
      allowed: true,
      delayMs: 3000,
    });
  });
  await t.step("other names are not slowed", () => {
    assert.deepEqual(throttle.check("203.0.113.1", "ops"), {
      allowed: true,
      delayMs: 0,
    });
  });
  await t.step("failures leave the window", () => {
    clock.now += 60_000;
    assert.deepEqual(throttle.check("203.0.113.1", "admin"), {
      allowed: true,
      delayMs: 0,
    });
  });
  await t.step("a success clears the delay", () => {
    for (let i = 0; i < 5; i++) throttle.recordFailure(`192.0.2.${i}`, "admin");
    assert.equal(
      (throttle.check("203.0.113.1", "admin") as { delayMs: number }).delayMs,
      2000,
    );
    throttle.recordSuccess("203.0.113.1", "admin");
    assert.deepEqual(throttle.check("203.0.113.1", "admin"), {
      allowed: true,
      delayMs: 0,
    });
  });
  await t.step("a cap of 0 turns the delay off", () => {
    const off = fresh({ ...LIMITS, maxDelayMs: 0 }).throttle;
    for (let i = 0; i < 20; i++) off.recordFailure(`192.0.2.${i}`, "admin");
    assert.deepEqual(off.check("203.0.113.1", "admin"), {
      allowed: true,
      delayMs: 0,
    });
  });
});
