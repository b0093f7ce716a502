// Redirects during discovery, over scripted clients: see-other-uri and
// see-other-host followed when redirect_policy.ts allows, within a bound.
import assert from "node:assert/strict";
import { MAX_REDIRECTS } from "./discovery_policy.ts";
import { SeeOtherHostError } from "./redirect_policy.ts";
import {
  harness,
  N,
  P,
  rejection,
  S,
  seeOtherUri,
  unreachable,
} from "../../../tests/support/discovery_harness.ts";

Deno.test("redirects", async (t) => {
  await t.step(
    "see-other-uri is followed and the target remembered",
    async () => {
      const h = harness({ [P]: seeOtherUri(N), [N]: "online" });
      const result = await h.run();
      assert.equal(result.service, N);
      assert.equal(result.source, "primary");
      assert.deepEqual(result.redirects, [N]);
      assert.deepEqual(h.connected(), [P, N]);
      assert.equal(h.cached().service, N);
      assert.deepEqual(
        result.attempts.map((a) => [a.service, a.source]),
        [[P, "primary"], [N, "redirect"]],
      );
    },
  );

  await t.step("see-other-host keeps the binding path and port", async () => {
    const h = harness({
      [P]: () => new SeeOtherHostError("imp5.example.com"),
      [N]: "online",
    });
    assert.equal((await h.run()).service, N);
  });

  await t.step(`at most ${MAX_REDIRECTS} redirects`, async () => {
    const A = "https://a.example.com/bind";
    const B = "https://b.example.com/bind";
    const h = harness({
      [P]: seeOtherUri(A),
      [A]: seeOtherUri(B),
      [B]: seeOtherUri(A),
    });
    const error = await rejection(h.run());
    assert.equal(error.condition, "see-other-uri");
    assert.deepEqual(h.connected(), [P, A, B, A]);
  });

  await t.step(
    "a refused scheme is not followed, nor the secondary",
    async () => {
      const h = harness({
        [P]: seeOtherUri("javascript:alert(1)"),
        [S]: "online",
      });
      const error = await rejection(h.run());
      assert.match(error.message, /refused/);
      assert.deepEqual(h.connected(), [P]);
    },
  );

  await t.step("an unreachable target moves on to the secondary", async () => {
    const h = harness({ [P]: seeOtherUri(N), [N]: unreachable, [S]: "online" });
    const result = await h.run();
    assert.deepEqual(h.connected(), [P, N, S]);
    assert.equal(result.source, "secondary");
  });

  await t.step("an unreachable target is not tried again", async () => {
    const h = harness({ [P]: seeOtherUri(S), [S]: unreachable });
    await rejection(h.run());
    assert.deepEqual(h.connected(), [P, S]);
  });
});
