import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  NS_ROSTER,
  parseRosterItem,
  parseRosterPush,
  parseRosterResult,
  ROSTER_LIMITS,
} from "./roster_parser.ts";

function query(...items: XmlElement[]): XmlElement {
  return xml("query", { xmlns: NS_ROSTER }, ...items);
}

function item(
  attrs: Record<string, string>,
  ...groups: string[]
): XmlElement {
  return xml("item", attrs, ...groups.map((g) => xml("group", {}, g)));
}

function onlyItem(element: XmlElement) {
  const parsed = parseRosterItem(query(element).getChildElements()[0]);
  return parsed;
}

Deno.test("roster parser", async (t) => {
  await t.step("a full item, normalized", () => {
    const parsed = onlyItem(
      item(
        {
          jid: "Bob.Smith@Example.COM",
          name: "  Bob   Smith ",
          subscription: "both",
          ask: "subscribe",
        },
        "Support",
        " Support ",
        "Tier 2",
      ),
    );
    assert.deepEqual(parsed, {
      jid: "bob.smith@example.com",
      name: "Bob Smith",
      groups: ["Support", "Tier 2"],
      subscription: "both",
      ask: "subscribe",
    });
  });

  await t.step("defaults: no name, no groups, subscription none", () => {
    assert.deepEqual(onlyItem(item({ jid: "a@b" })), {
      jid: "a@b",
      groups: [],
      subscription: "none",
    });
  });

  await t.step("remove keeps only the jid", () => {
    assert.deepEqual(
      onlyItem(
        item({ jid: "a@b", subscription: "remove", name: "x" }, "G"),
      ),
      { jid: "a@b", subscription: "remove" },
    );
  });

  await t.step("unknown ask values are dropped (RFC 6121 §2.1.2.2)", () => {
    const parsed = onlyItem(item({ jid: "a@b", ask: "unsubscribe" }));
    assert.ok(!(parsed instanceof ParseError));
    assert.equal("ask" in parsed, false);
  });

  await t.step("hostile items give a ParseError, never a throw", () => {
    const cases: Record<string, string>[] = [
      {},
      { jid: "" },
      { jid: "a@b/resource" },
      { jid: "a b@c" },
      { jid: "a@" },
      { jid: "@b" },
      { jid: "a@b\u0000c" },
      { jid: "x".repeat(5000) + "@b" },
      { jid: "a@b", subscription: "owner" },
    ];
    for (const attrs of cases) {
      const parsed = onlyItem(item(attrs));
      assert.ok(parsed instanceof ParseError, JSON.stringify(attrs));
    }
    assert.ok(parseRosterItem(xml("message", {})) instanceof ParseError);
  });

  await t.step("10,000 groups, a huge name, control characters", () => {
    const groups = Array.from({ length: 10_000 }, (_, i) => `g${i}`);
    const parsed = onlyItem(
      item(
        { jid: "a@b", name: "N\u0007a\u202eme".repeat(100_000) },
        "",
        "   ",
        "Bad\u0001\u202eGroup",
        "x".repeat(10_000),
        ...groups,
      ),
    );
    assert.ok(!(parsed instanceof ParseError));
    assert.ok(parsed.subscription !== "remove");
    assert.equal(parsed.groups.length, ROSTER_LIMITS.groupsPerItem);
    assert.equal(parsed.groups[0], "BadGroup");
    assert.equal(parsed.groups[1].length, ROSTER_LIMITS.groupLength);
    assert.equal(parsed.name?.length, ROSTER_LIMITS.nameLength);
    assert.match(parsed.name ?? "", /^(Name)+N?a?m?e?$/);
  });

  await t.step(
    "result: items, ver, bad ones skipped, duplicates merged",
    () => {
      const result = parseRosterResult(
        xml(
          "iq",
          { type: "result", id: "r1" },
          xml(
            "query",
            { xmlns: NS_ROSTER, ver: "v7" },
            item({ jid: "a@b", subscription: "both" }),
            item({ jid: "nope" + "\u0000" }),
            item({ jid: "c@d", subscription: "remove" }),
            item({ jid: "A@B", name: "Later" }),
            "\n  ",
          ),
        ),
      );
      assert.ok(!(result instanceof ParseError));
      assert.equal(result.ver, "v7");
      assert.deepEqual(result.items, [
        { jid: "a@b", name: "Later", groups: [], subscription: "none" },
      ]);
    },
  );

  await t.step("result: an empty result is an empty roster", () => {
    const result = parseRosterResult(xml("iq", { type: "result" }));
    assert.deepEqual(result, { items: [] });
  });

  await t.step("result: wrong shapes give a ParseError", () => {
    assert.ok(
      parseRosterResult(xml("iq", { type: "error" })) instanceof ParseError,
    );
    assert.ok(
      parseRosterResult(
        xml("iq", { type: "result" }, xml("query", { xmlns: "other" })),
      ) instanceof ParseError,
    );
  });

  await t.step("push: exactly one item", () => {
    const push = parseRosterPush(
      xml(
        "iq",
        { type: "set", id: "p1" },
        xml("query", { xmlns: NS_ROSTER, ver: "v8" }, item({ jid: "a@b" })),
      ),
    );
    assert.deepEqual(push, {
      item: { jid: "a@b", groups: [], subscription: "none" },
      ver: "v8",
    });
    const two = parseRosterPush(
      xml(
        "iq",
        { type: "set" },
        query(item({ jid: "a@b" }), item({ jid: "c@d" })),
      ),
    );
    assert.ok(two instanceof ParseError);
    const none = parseRosterPush(xml("iq", { type: "set" }, query()));
    assert.ok(none instanceof ParseError);
    const get = parseRosterPush(
      xml("iq", { type: "get" }, query(item({ jid: "a@b" }))),
    );
    assert.ok(get instanceof ParseError);
  });
});
