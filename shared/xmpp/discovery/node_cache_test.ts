import assert from "node:assert/strict";
import {
  bareJid,
  decodeCachedNode,
  encodeCachedNode,
  forgetCachedNode,
  lookupCachedNode,
  NODE_CACHE_KEY_PREFIX,
  nodeCacheKey,
  type NodeStorage,
  readCachedNode,
  writeCachedNode,
} from "./node_cache.ts";

const NODE = {
  service: "https://imp2.example.com:5280/http-bind",
  settingsVersion: '"s-7"',
};

function mapStorage(): NodeStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

function throwingStorage(name: string): NodeStorage {
  const fail = () => {
    throw new DOMException("storage is disabled", name);
  };
  return { getItem: fail, setItem: fail, removeItem: fail };
}

Deno.test("bareJid and nodeCacheKey: one entry per user, case-insensitively", () => {
  assert.equal(
    bareJid(" Agent1 ", "IMP.Example.com"),
    "agent1@imp.example.com",
  );
  assert.equal(
    nodeCacheKey(bareJid("agent1", "example.com")),
    `${NODE_CACHE_KEY_PREFIX}agent1@example.com`,
  );
});

Deno.test("encode then decode round-trips", () => {
  assert.deepEqual(decodeCachedNode(encodeCachedNode(NODE)), NODE);
});

Deno.test("lookupCachedNode", async (t) => {
  await t.step("nothing stored is a miss", () => {
    assert.deepEqual(lookupCachedNode(null, '"s-7"'), { status: "miss" });
  });

  await t.step("same settings version is a hit", () => {
    assert.deepEqual(lookupCachedNode(encodeCachedNode(NODE), '"s-7"'), {
      status: "hit",
      node: NODE,
    });
  });

  await t.step("another settings version is stale", () => {
    assert.deepEqual(lookupCachedNode(encodeCachedNode(NODE), '"s-8"'), {
      status: "stale",
      node: NODE,
    });
  });

  await t.step("hostile or broken entries are invalid, never used", () => {
    const entry = (patch: Record<string, unknown>) =>
      JSON.stringify({ format: 1, ...NODE, ...patch });
    const cases: [string, string][] = [
      ["", "entry is not JSON"],
      ["{", "entry is not JSON"],
      ["null", "entry is not an object"],
      ["[1]", "entry is not an object"],
      ['"https://imp2.example.com"', "entry is not an object"],
      [entry({ format: 2 }), "unknown entry format"],
      [JSON.stringify(NODE), "unknown entry format"],
      [entry({ service: 42 }), "service is not text"],
      [entry({ service: "javascript:alert(1)" }), "service is not a valid URL"],
      [
        entry({ service: "data:text/xml,<body/>" }),
        "service is not a valid URL",
      ],
      [entry({ service: "file:///etc/passwd" }), "service is not a valid URL"],
      [
        entry({ service: "https://user:pw@imp.example.com/http-bind" }),
        "service is not a valid URL",
      ],
      [
        entry({ service: "HTTPS://IMP2.example.com:5280/http-bind" }),
        "service is not a valid URL",
      ],
      [entry({ settingsVersion: "" }), "settings version is not valid"],
      [entry({ settingsVersion: 7 }), "settings version is not valid"],
      [
        entry({ settingsVersion: "x".repeat(300) }),
        "settings version is not valid",
      ],
      [entry({ pad: "x".repeat(5000) }), "entry too long"],
    ];
    for (const [raw, reason] of cases) {
      assert.deepEqual(
        lookupCachedNode(raw, '"s-7"'),
        { status: "invalid", reason },
        raw.slice(0, 80),
      );
    }
  });

  await t.step("a prototype-polluting entry is just invalid", () => {
    const raw = '{"__proto__":{"format":1},"service":"https://a.example"}';
    assert.equal(lookupCachedNode(raw, '"s-7"').status, "invalid");
  });
});

Deno.test("read, write and forget through a Storage", () => {
  const storage = mapStorage();
  const jid = bareJid("agent1", "example.com");
  assert.equal(readCachedNode(storage, jid, '"s-7"').status, "miss");
  assert.equal(writeCachedNode(storage, jid, NODE), undefined);
  assert.deepEqual(readCachedNode(storage, jid, '"s-7"'), {
    status: "hit",
    node: NODE,
  });
  assert.equal(
    readCachedNode(storage, bareJid("agent2", "example.com"), '"s-7"').status,
    "miss",
  );
  assert.equal(forgetCachedNode(storage, jid), undefined);
  assert.equal(storage.map.size, 0);
});

Deno.test("a storage that throws is reported, not fatal", () => {
  const storage = throwingStorage("SecurityError");
  const jid = bareJid("agent1", "example.com");
  const lookup = readCachedNode(storage, jid, '"s-7"');
  assert.equal(lookup.status, "unavailable");
  assert.equal(
    lookup.status === "unavailable" && lookup.error.name,
    "SecurityError",
  );
  assert.equal(
    writeCachedNode(throwingStorage("QuotaExceededError"), jid, NODE)?.name,
    "QuotaExceededError",
  );
  assert.equal(forgetCachedNode(storage, jid)?.name, "SecurityError");
});

// Found by node_cache_property_test.ts: String() of the thrown value threw
// ("Cannot convert object to primitive value"), so the report of a failing
// storage became the failure.
Deno.test("a storage that throws what String() cannot convert is reported too", () => {
  const thrown = { toString: "" };
  const storage: NodeStorage = {
    getItem: () => {
      throw thrown;
    },
    setItem: () => {
      throw thrown;
    },
    removeItem: () => {
      throw thrown;
    },
  };
  const jid = bareJid("agent1", "example.com");
  const lookup = readCachedNode(storage, jid, '"s-7"');
  assert.equal(lookup.status, "unavailable");
  assert.equal(lookup.status === "unavailable" && lookup.error.cause, thrown);
  assert.equal(writeCachedNode(storage, jid, NODE)?.cause, thrown);
  assert.equal(forgetCachedNode(storage, jid)?.cause, thrown);
});
