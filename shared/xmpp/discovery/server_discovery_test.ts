// Discovery's order of attempts, redirects and cache, over scripted clients:
// each node either comes online, fails with a given error or never answers.
// The same rules against two real Prosody servers: tests/integration.
import assert from "node:assert/strict";
import { MAX_REDIRECTS, NodesUnreachableError } from "./discovery_policy.ts";
import { SeeOtherHostError } from "./redirect_policy.ts";
import {
  AuthError,
  StreamError,
  TimeoutError,
  TransportError,
  XmppError,
} from "../core/errors.ts";
import {
  bareJid,
  encodeCachedNode,
  nodeCacheKey,
  type NodeStorage,
} from "./node_cache.ts";
import {
  type Attempt,
  type DiscoveryClient,
  type DiscoveryOptions,
  signInWithDiscovery,
} from "./server_discovery.ts";

const P = "https://imp1.example.com:5280/http-bind";
const S = "https://imp2.example.com:5280/http-bind";
const N = "https://imp5.example.com:5280/http-bind";
const V1 = '"s-1"';
const V2 = '"s-2"';
const KEY = nodeCacheKey(bareJid("agent1", "example.com"));

type Script = "online" | "hang" | XmppError | (() => XmppError);

class ScriptedClient implements DiscoveryClient {
  status = "offline";
  stopped = false;
  aborted = false;
  readonly listeners = new Set<(error: unknown) => void>();

  constructor(readonly service: string, readonly script: Script) {}

  start(): Promise<unknown> {
    this.status = "connecting";
    if (this.script === "hang") return new Promise(() => {});
    if (this.script === "online") {
      this.status = "online";
      return Promise.resolve();
    }
    const error = typeof this.script === "function"
      ? this.script()
      : this.script;
    // As xmpp.js does: the error is emitted, and start() rejects with it.
    for (const listener of this.listeners) listener(error);
    this.status = error instanceof AuthError ? "open" : "disconnect";
    return Promise.reject(error);
  }

  stop(): Promise<unknown> {
    this.stopped = true;
    this.status = "offline";
    return Promise.resolve();
  }

  abort(): void {
    this.aborted = true;
    this.status = "offline";
  }

  on(_event: "error", listener: (error: unknown) => void): void {
    this.listeners.add(listener);
  }

  removeListener(_event: "error", listener: (error: unknown) => void): void {
    this.listeners.delete(listener);
  }
}

function mapStorage(entries: Record<string, string> = {}) {
  const map = new Map(Object.entries(entries));
  const storage: NodeStorage = {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
  return { map, storage };
}

function cachedAt(service: string, settingsVersion = V1) {
  return { [KEY]: encodeCachedNode({ service, settingsVersion }) };
}

const unreachable = () => new TransportError("unreachable", "refused");
const seeOtherUri = (uri: string) => () =>
  new TransportError("see-other-uri", "moved", { uri });

/** One script per node, or one per connection to it, in order. */
function harness(
  scripts: Record<string, Script | Script[]>,
  options: Partial<DiscoveryOptions> & { cache?: Record<string, string> } = {},
) {
  const { map, storage } = mapStorage(options.cache);
  const clients: ScriptedClient[] = [];
  const reported: Attempt[] = [];
  const run = () =>
    signInWithDiscovery({
      settings: { primary: P, secondary: S },
      settingsVersion: V1,
      username: "agent1",
      password: "secret",
      domain: "example.com",
      storage,
      onAttempt: (attempt) => reported.push(attempt),
      ...options,
      connect: (service) => {
        const script = scripts[service] ?? "hang";
        const nth = clients.filter((c) => c.service === service).length;
        const client = new ScriptedClient(
          service,
          Array.isArray(script) ? script[nth] ?? "hang" : script,
        );
        clients.push(client);
        return client;
      },
    });
  const connected = () => clients.map((client) => client.service);
  const cached = () => {
    const raw = map.get(KEY);
    return raw === undefined ? undefined : JSON.parse(raw);
  };
  return { run, clients, connected, cached, map, reported };
}

async function rejection(promise: Promise<unknown>): Promise<XmppError> {
  const error = await promise.then(
    () => assert.fail("expected the sign-in to fail"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof XmppError, String(error));
  return error;
}

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
