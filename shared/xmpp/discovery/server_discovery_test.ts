// Discovery's first sign-in of a user, over scripted clients: primary,
// then secondary only when the primary could not serve; why each failed.
// Later sign-ins: server_discovery_cache_test.ts; redirects:
// server_discovery_redirect_test.ts; real servers: tests/integration.
import assert from "node:assert/strict";
import { NodesUnreachableError } from "./discovery_policy.ts";
import {
  AuthError,
  StreamError,
  TimeoutError,
  TransportError,
} from "../core/errors.ts";
import {
  type DiscoveryClient,
  signInWithDiscovery,
} from "./server_discovery.ts";
import {
  harness,
  mapStorage,
  P,
  rejection,
  S,
  unreachable,
  V1,
} from "../../../tests/support/discovery_harness.ts";

Deno.test("first sign-in", async (t) => {
  await t.step("primary online: used and remembered", async () => {
    const h = harness({ [P]: "online" });
    const result = await h.run();
    assert.equal(result.service, P);
    assert.equal(result.source, "primary");
    assert.deepEqual(h.connected(), [P]);
    assert.deepEqual(h.cached(), {
      format: 1,
      service: P,
      settingsVersion: V1,
    });
    assert.deepEqual(result.cache, { lookup: "miss", storageErrors: [] });
    assert.deepEqual(result.attempts, [{ service: P, source: "primary" }]);
    assert.deepEqual(h.reported, result.attempts);
    assert.equal(
      h.clients[0].listeners.size,
      0,
      "discovery's error listener is removed from the online client",
    );
  });

  await t.step("primary unreachable: secondary", async () => {
    for (
      const error of [
        unreachable,
        () => new TransportError("http-error", "503", { status: 503 }),
        () => new TimeoutError("slow"),
      ]
    ) {
      const h = harness({ [P]: error, [S]: "online" });
      const result = await h.run();
      assert.equal(result.service, S);
      assert.equal(result.source, "secondary");
      assert.deepEqual(h.connected(), [P, S]);
      assert.equal(h.cached().service, S);
      assert.equal(result.attempts[0].error?.condition, error().condition);
    }
  });

  await t.step("wrong password on the primary: no secondary", async () => {
    const h = harness({
      [P]: new AuthError("not-authorized", "wrong password"),
      [S]: "online",
    });
    const error = await rejection(h.run());
    assert.ok(error instanceof AuthError);
    assert.deepEqual(h.connected(), [P]);
    assert.equal(h.clients[0].aborted, true, "the failed client is stopped");
    assert.equal(h.clients[0].stopped, false, "without waiting for a close");
    assert.equal(h.cached(), undefined);
  });

  await t.step("any answer from the primary is final", async () => {
    for (
      const error of [
        new TransportError("host-unknown", "domain"),
        new TransportError("http-error", "405", { status: 405 }),
        new StreamError("conflict", "x"),
      ]
    ) {
      const h = harness({ [P]: error, [S]: "online" });
      assert.equal(await rejection(h.run()), error);
      assert.deepEqual(h.connected(), [P]);
    }
  });

  await t.step("both down: one error naming both, and why", async () => {
    const h = harness({
      [P]: unreachable,
      [S]: () => new TimeoutError("slow"),
    });
    const error = await rejection(h.run());
    assert.ok(error instanceof NodesUnreachableError);
    assert.equal(error.condition, "unreachable");
    assert.deepEqual(error.nodes, [
      { service: P, outage: "refused" },
      { service: S, outage: "timed-out" },
    ]);
    assert.ok(error.message.includes(P) && error.message.includes(S));
    assert.deepEqual(
      h.reported.map((a) => [a.service, a.outage]),
      [[P, "refused"], [S, "timed-out"]],
    );
    assert.equal(h.cached(), undefined);
  });

  await t.step("only a primary, timed out: said so", async () => {
    const h = harness({ [P]: () => new TimeoutError("slow") }, {
      settings: { primary: P, secondary: "" },
    });
    const error = await rejection(h.run());
    assert.ok(error instanceof NodesUnreachableError);
    assert.deepEqual(error.nodes, [{ service: P, outage: "timed-out" }]);
    assert.match(error.message, /did not answer in time/);
    assert.ok(error.cause instanceof TimeoutError);
  });

  await t.step(
    "a node that never finishes times out, then secondary",
    async () => {
      const h = harness({ [P]: "hang", [S]: "online" }, {
        attemptTimeoutMs: 20,
      });
      const result = await h.run();
      assert.equal(result.service, S);
      assert.ok(result.attempts[0].error instanceof TimeoutError);
      assert.equal(result.attempts[0].outage, "timed-out");
      assert.equal(h.clients[0].aborted, true, "stopped at once");
    },
  );

  await t.step("connect throwing is a typed failure", async () => {
    const { storage } = mapStorage();
    const error = await rejection(signInWithDiscovery({
      settings: { primary: P, secondary: S },
      settingsVersion: V1,
      username: "agent1",
      password: "pw",
      storage,
      connect: (): DiscoveryClient => {
        throw new Error("No compatible connection method found.");
      },
    }));
    assert.equal(error.condition, "undefined-condition");
  });

  await t.step("nothing configured", async () => {
    const h = harness({}, { settings: { primary: "", secondary: "" } });
    assert.match((await rejection(h.run())).message, /No chat server/);
  });
});
