// Later sign-ins, over scripted clients: straight to the cached node, and
// when it fails, the whole discovery again, the cached node included.
import assert from "node:assert/strict";
import { NodesUnreachableError } from "./discovery_policy.ts";
import { AuthError, TimeoutError } from "../core/errors.ts";
import { nodeCacheKey, type NodeStorage } from "./node_cache.ts";
import { signInWithDiscovery } from "./server_discovery.ts";
import {
  cachedAt,
  harness,
  KEY,
  mapStorage,
  N,
  P,
  rejection,
  S,
  ScriptedClient,
  unreachable,
  V1,
  V2,
} from "../../../tests/support/discovery_harness.ts";

Deno.test("later sign-ins", async (t) => {
  await t.step("go straight to the cached node", async () => {
    const h = harness({ [P]: "online", [S]: "online" }, {
      cache: cachedAt(S),
    });
    const result = await h.run();
    assert.equal(result.source, "cache");
    assert.deepEqual(h.connected(), [S]);
    assert.equal(result.cache.lookup, "hit");
  });

  await t.step(
    "cached node unreachable: rediscover from the primary",
    async () => {
      const h = harness({ [N]: unreachable, [P]: "online" }, {
        cache: cachedAt(N),
      });
      const result = await h.run();
      assert.deepEqual(h.connected(), [N, P]);
      assert.equal(result.source, "primary");
      assert.equal(h.cached().service, P);
    },
  );

  await t.step(
    "cached secondary timed out, primary down: the secondary again",
    async () => {
      // Issue 12: a node that froze once may answer the next time, and it
      // may be the only one up.
      const h = harness({
        [S]: [() => new TimeoutError("frozen"), "online"],
        [P]: unreachable,
      }, { cache: cachedAt(S) });
      const result = await h.run();
      assert.deepEqual(h.connected(), [S, P, S]);
      assert.equal(result.service, S);
      assert.equal(result.source, "secondary");
      assert.deepEqual(
        result.attempts.map((a) => [a.service, a.source, a.outage]),
        [[S, "cache", "timed-out"], [P, "primary", "refused"], [
          S,
          "secondary",
          undefined,
        ]],
      );
      assert.deepEqual(h.clients.map((c) => c.aborted), [true, true, false]);
      assert.equal(h.cached().service, S);
    },
  );

  await t.step(
    "cached node and every configured node down: each once in the error",
    async () => {
      const h = harness({
        [S]: [() => new TimeoutError("frozen"), unreachable],
        [P]: unreachable,
      }, { cache: cachedAt(S) });
      const error = await rejection(h.run());
      assert.deepEqual(h.connected(), [S, P, S]);
      assert.ok(error instanceof NodesUnreachableError);
      assert.deepEqual(error.nodes, [
        { service: S, outage: "refused" },
        { service: P, outage: "refused" },
      ]);
    },
  );

  await t.step(
    "cached node answering with an error: no rediscovery",
    async () => {
      const h = harness({
        [S]: new AuthError("not-authorized", "wrong password"),
        [P]: "online",
      }, { cache: cachedAt(S) });
      assert.ok(await rejection(h.run()) instanceof AuthError);
      assert.deepEqual(h.connected(), [S]);
      assert.equal(h.cached().service, S, "the cache still names the node");
    },
  );

  await t.step("a settings change invalidates the cache", async () => {
    const h = harness({ [P]: "online", [S]: "online" }, {
      cache: cachedAt(S, V1),
      settingsVersion: V2,
    });
    const result = await h.run();
    assert.equal(result.cache.lookup, "stale");
    assert.deepEqual(h.connected(), [P]);
    assert.deepEqual(h.cached(), {
      format: 1,
      service: P,
      settingsVersion: V2,
    });
  });

  await t.step("a stale entry is forgotten even if sign-in fails", async () => {
    const h = harness({ [P]: new AuthError("not-authorized", "x") }, {
      cache: cachedAt(S, V1),
      settingsVersion: V2,
    });
    await rejection(h.run());
    assert.equal(h.cached(), undefined);
  });

  await t.step("a tampered entry is ignored and forgotten", async () => {
    const h = harness({ [P]: "online" }, {
      cache: { [KEY]: '{"format":1,"service":"javascript:alert(1)"}' },
    });
    const result = await h.run();
    assert.equal(result.cache.lookup, "invalid");
    assert.deepEqual(h.connected(), [P]);
    assert.equal(h.cached().service, P);
  });

  await t.step("no settings version: the cache is not used", async () => {
    const h = harness({ [P]: "online", [S]: "online" }, {
      cache: cachedAt(S),
      settingsVersion: null,
    });
    const result = await h.run();
    assert.deepEqual(h.connected(), [P]);
    assert.equal(result.cache.lookup, "disabled");
    assert.equal(h.cached().service, S, "left as it was");
  });

  await t.step("a storage that throws does not stop the sign-in", async () => {
    const broken: NodeStorage = {
      getItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      setItem: () => {
        throw new DOMException("denied", "SecurityError");
      },
      removeItem: () => {},
    };
    const result = await signInWithDiscovery({
      settings: { primary: P, secondary: S },
      settingsVersion: V1,
      username: "agent1",
      password: "pw",
      storage: broken,
      connect: (service) => new ScriptedClient(service, "online"),
    });
    assert.equal(result.cache.lookup, "unavailable");
    assert.deepEqual(
      result.cache.storageErrors.map((e) => e.name),
      ["SecurityError", "SecurityError"],
    );
  });

  await t.step("the domain defaults to the primary's host", async () => {
    const { map, storage } = mapStorage();
    await signInWithDiscovery({
      settings: { primary: P, secondary: S },
      settingsVersion: V1,
      username: "Agent1",
      password: "pw",
      storage,
      connect: (service) => new ScriptedClient(service, "online"),
    });
    assert.deepEqual([...map.keys()], [
      nodeCacheKey("agent1@imp1.example.com"),
    ]);
  });
});
