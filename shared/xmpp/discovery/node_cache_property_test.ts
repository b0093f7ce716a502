// Property tests of the node cache's reader: browser storage is untrusted
// input (an older build, a hand edit, another script of the origin), so
// whatever sits under the key, or whatever the storage throws, reading
// never throws and only ever yields a node the settings could have named,
// as plain data; what was written reads back unchanged.
import assert from "node:assert/strict";
import fc from "fast-check";
import { checkServerUrl } from "../../settings/settings_rules.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  hostileText,
  hugeText,
} from "../../../tests/support/stanza_arbitrary.ts";
import {
  encodeCachedNode,
  forgetCachedNode,
  lookupCachedNode,
  NODE_CACHE_FORMAT,
  type NodeStorage,
  readCachedNode,
  writeCachedNode,
} from "./node_cache.ts";

const url = fc.oneof(
  fc.constantFrom(
    "https://imp1.example.com:5280/http-bind",
    "wss://imp2.example.com/ws",
    "HTTPS://IMP1.example.com:443/http-bind",
    "javascript:alert(1)",
    "https://user:pw@evil.example/",
    "https://x.example/?q=1",
    "data:text/html,<script>alert(1)</script>",
  ),
  fc.webUrl(),
  hostileText,
);
/** As we write them (the settings' normal form), or anything. */
const normalUrl = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "https://imp1.example.com:5280/http-bind",
      "wss://imp2.example.com/ws",
      "https://imp1.example.com/http-bind",
    ),
  },
  { weight: 1, arbitrary: url },
);
const version = fc.oneof(
  fc.constantFrom('W/"1"', '"abc"', ""),
  hostileText,
  fc.string({ minLength: 250, maxLength: 300 }),
);

/** Entries shaped like ours with any field swapped for junk, and junk. */
const stored: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      format: fc.oneof(
        { weight: 4, arbitrary: fc.constant(NODE_CACHE_FORMAT) },
        { weight: 1, arbitrary: fc.jsonValue() },
      ),
      service: fc.oneof({ weight: 4, arbitrary: normalUrl }, {
        weight: 1,
        arbitrary: fc.jsonValue(),
      }),
      settingsVersion: fc.oneof({ weight: 4, arbitrary: version }, {
        weight: 1,
        arbitrary: fc.jsonValue(),
      }),
    }).chain((entry) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(JSON.stringify(entry)) },
        // Now and then a field is missing altogether.
        {
          weight: 1,
          arbitrary: fc.subarray(Object.keys(entry)).map((keys) =>
            JSON.stringify(entry, keys)
          ),
        },
      )
    ),
  },
  { weight: 1, arbitrary: fc.json() },
  { weight: 1, arbitrary: fc.string({ unit: "binary" }) },
  { weight: 1, arbitrary: hugeText },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{"__proto__":{"polluted":1},"format":1}',
      '{"constructor":{"prototype":{"x":1}}}',
      "[1,",
      "null",
    ),
  },
);

Deno.test("lookupCachedNode: any stored text, never throws, only a valid node", () => {
  let hits = 0;
  fc.assert(
    fc.property(fc.option(stored, { nil: null }), version, (raw, current) => {
      const lookup = lookupCachedNode(raw, current);
      assertPlainData(lookup);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      if (lookup.status !== "hit" && lookup.status !== "stale") return;
      hits++;
      const { service, settingsVersion } = lookup.node;
      assert.deepEqual(Object.keys(lookup.node).sort(), [
        "service",
        "settingsVersion",
      ]);
      const check = checkServerUrl(service);
      assert.ok(check.ok && check.href === service, service);
      assert.ok(settingsVersion !== "" && settingsVersion.length <= 256);
      assert.equal(lookup.status === "hit", settingsVersion === current);
    }),
    fuzzRuns(2_0001),
  );
  assert.ok(hits >= 50, `${hits} nodes read`);
});

Deno.test("what writeCachedNode wrote reads back; a throwing storage never throws", () => {
  const thrown = fc.oneof(
    fc.constant(new DOMException("full", "QuotaExceededError")),
    fc.anything(),
  );
  fc.assert(
    fc.property(
      url,
      version,
      fc.option(thrown),
      (raw, settingsVersion, failure) => {
        const check = checkServerUrl(raw);
        const items = new Map<string, string>();
        const fail = () => {
          if (failure !== null) throw failure;
        };
        const storage: NodeStorage = {
          getItem: (key) => (fail(), items.get(key) ?? null),
          setItem: (key, value) => (fail(), void items.set(key, value)),
          removeItem: (key) => (fail(), void items.delete(key)),
        };
        const jid = "agent@example.com";
        const node = { service: check.ok ? check.href : raw, settingsVersion };
        const wrote = writeCachedNode(storage, jid, node);
        const read = readCachedNode(storage, jid, settingsVersion);
        const forgot = forgetCachedNode(storage, jid);
        if (failure !== null) {
          assert.ok(wrote instanceof Error && forgot instanceof Error);
          assert.equal(read.status, "unavailable");
          return;
        }
        assert.equal(wrote, undefined);
        assert.equal(forgot, undefined);
        assert.equal(items.size, 0);
        if (
          check.ok && settingsVersion !== "" && settingsVersion.length <= 256
        ) {
          assert.deepEqual(read, { status: "hit", node });
          assert.equal(
            lookupCachedNode(encodeCachedNode(node), settingsVersion).status,
            "hit",
          );
        } else assert.equal(read.status, "invalid");
      },
    ),
    fuzzRuns(2_0002),
  );
});
