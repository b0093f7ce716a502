import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { NS_ROSTER, type RosterItem } from "./roster_parser.ts";
import {
  applyRosterPush,
  applyRosterResult,
  EMPTY_ROSTER,
  groupRoster,
  handleRosterPush,
  isFromOwnAccount,
  NO_GROUP,
  type RosterState,
} from "./roster_state.ts";

const OWN = "agent@example.com";

function contact(
  jid: string,
  groups: string[] = [],
  name?: string,
): RosterItem {
  return name === undefined
    ? { jid, groups, subscription: "both" }
    : { jid, name, groups, subscription: "both" };
}

function state(...items: RosterItem[]): RosterState {
  return applyRosterResult(EMPTY_ROSTER, { items });
}

function push(
  attrs: Record<string, string>,
  ...items: XmlElement[]
): XmlElement {
  return xml(
    "iq",
    { type: "set", id: "push1", ...attrs },
    xml("query", { xmlns: NS_ROSTER }, ...items),
  );
}

Deno.test("applyRosterPush", async (t) => {
  await t.step("adds, replaces and removes one item", () => {
    const start = state(contact("a@x", ["G"]));
    const added = applyRosterPush(start, contact("b@x"));
    assert.deepEqual([...added.items.keys()], ["a@x", "b@x"]);
    assert.equal(start.items.size, 1, "the old state is untouched");
    const renamed = applyRosterPush(added, contact("a@x", ["H"], "A"));
    assert.deepEqual(renamed.items.get("a@x")?.groups, ["H"]);
    const removed = applyRosterPush(renamed, {
      jid: "a@x",
      subscription: "remove",
    });
    assert.deepEqual([...removed.items.keys()], ["b@x"]);
  });

  await t.step("removing an unknown item is a no-op", () => {
    const next = applyRosterPush(state(contact("a@x")), {
      jid: "zz@x",
      subscription: "remove",
    });
    assert.deepEqual([...next.items.keys()], ["a@x"]);
  });

  await t.step("keeps the last roster version", () => {
    const next = applyRosterPush(state(), contact("a@x"), "v2");
    assert.equal(next.ver, "v2");
    assert.equal(applyRosterPush(next, contact("b@x")).ver, "v2");
  });
});

Deno.test("handleRosterPush", async (t) => {
  await t.step("from nobody or the own bare JID: applied, result sent", () => {
    const senders: Record<string, string>[] = [
      {},
      { from: OWN },
      { from: "Agent@Example.com" },
    ];
    for (const attrs of senders) {
      const outcome = handleRosterPush(
        state(),
        push(attrs, xml("item", { jid: "b@x", subscription: "to" })),
        OWN,
      );
      assert.equal(outcome.rejected, undefined);
      assert.equal(outcome.state.items.get("b@x")?.subscription, "to");
      assert.equal(outcome.effects.length, 1);
      const reply = outcome.effects[0].stanza;
      assert.equal(reply.attrs.type, "result");
      assert.equal(reply.attrs.id, "push1");
      assert.equal(reply.attrs.to, attrs.from);
    }
  });

  await t.step("forged: another JID, a full JID, the server domain", () => {
    for (
      const from of [
        "mallory@example.com",
        `${OWN}/other-resource`,
        "example.com",
        "not a jid",
      ]
    ) {
      const before = state(contact("a@x"));
      const outcome = handleRosterPush(
        before,
        push({ from }, xml("item", { jid: "a@x", subscription: "remove" })),
        OWN,
      );
      assert.equal(outcome.state, before, from);
      assert.equal(outcome.rejected?.condition, "forged-push");
      const reply = outcome.effects[0].stanza;
      assert.equal(reply.attrs.type, "error");
      assert.ok(reply.getChild("error")?.getChild("service-unavailable"));
    }
  });

  await t.step("malformed: bad-request, state kept", () => {
    const before = state(contact("a@x"));
    for (
      const stanza of [
        push({}),
        push({}, xml("item", { jid: "a@x" }), xml("item", { jid: "b@x" })),
        push({}, xml("item", {})),
        push({}, xml("item", { jid: "a@x", subscription: "bogus" })),
      ]
    ) {
      const outcome = handleRosterPush(before, stanza, OWN);
      assert.equal(outcome.state, before);
      assert.ok(outcome.rejected);
      assert.ok(
        outcome.effects[0].stanza.getChild("error")?.getChild("bad-request"),
      );
    }
  });

  await t.step("isFromOwnAccount", () => {
    assert.equal(isFromOwnAccount(undefined, OWN), true);
    assert.equal(isFromOwnAccount(OWN, OWN), true);
    assert.equal(isFromOwnAccount(`${OWN}/r`, OWN), false);
    assert.equal(isFromOwnAccount("", OWN), false);
  });
});

Deno.test("groupRoster", async (t) => {
  await t.step(
    "sorted groups, counts, multi-group contacts, NO_GROUP last",
    () => {
      const groups = groupRoster([
        contact("z@x", [], "Zed"),
        contact("b@x", ["sales", "Support"], "bob"),
        contact("a@x", ["Support"], "Alice"),
        contact("c@x", ["Team 10"]),
        contact("d@x", ["Team 9"]),
      ]);
      assert.deepEqual(
        groups.map((g) => [g.name, g.count, g.contacts.map((c) => c.jid)]),
        [
          ["sales", 1, ["b@x"]],
          ["Support", 2, ["a@x", "b@x"]],
          ["Team 9", 1, ["d@x"]],
          ["Team 10", 1, ["c@x"]],
          [NO_GROUP, 1, ["z@x"]],
        ],
      );
    },
  );

  await t.step("empty roster, no groups", () => {
    assert.deepEqual(groupRoster([]), []);
  });
});
