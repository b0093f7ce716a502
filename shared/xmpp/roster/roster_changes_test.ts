import assert from "node:assert/strict";
import { ParseError } from "../core/errors.ts";
import {
  planAdd,
  planDeleteGroup,
  planEdit,
  planMove,
  planRemoveFromGroup,
  planRenameGroup,
  rosterSetStanza,
} from "./roster_changes.ts";
import { NS_ROSTER, type RosterItem } from "./roster_parser.ts";
import {
  applyRosterResult,
  EMPTY_ROSTER,
  NO_GROUP,
  type RosterState,
} from "./roster_state.ts";

function contact(jid: string, groups: string[], name?: string): RosterItem {
  return name === undefined
    ? { jid, groups, subscription: "both" }
    : { jid, name, groups, subscription: "both" };
}

const ROSTER: RosterState = applyRosterResult(EMPTY_ROSTER, {
  items: [
    contact("ann@x", ["Support"], "Ann"),
    contact("bob@x", ["Support", "Sales"], "Bob"),
    contact("cy@x", ["Sales"]),
    contact("dee@x", []),
  ],
});

Deno.test("rosterSetStanza (RFC 6121 §2.1.5, §2.5)", async (t) => {
  await t.step("set carries name and every group", () => {
    const iq = rosterSetStanza({
      kind: "set",
      jid: "ann@x",
      name: "Ann",
      groups: ["A", "B"],
    });
    assert.equal(iq.attrs.type, "set");
    const item = iq.getChild("query", NS_ROSTER)?.getChild("item");
    assert.equal(item?.attrs.jid, "ann@x");
    assert.equal(item?.attrs.name, "Ann");
    assert.equal(item?.attrs.subscription, undefined);
    assert.deepEqual(item?.getChildren("group").map((g) => g.text()), [
      "A",
      "B",
    ]);
  });

  await t.step("remove", () => {
    const item = rosterSetStanza({ kind: "remove", jid: "ann@x" })
      .getChild("query", NS_ROSTER)?.getChild("item");
    assert.equal(item?.attrs.subscription, "remove");
    assert.equal(item?.children.length, 0);
  });
});

Deno.test("planning the seed's contact and group actions", async (t) => {
  await t.step("add: normalized, cleaned, validated", () => {
    assert.deepEqual(planAdd(" New@X ", "  New  Guy ", ["G", " G ", ""]), {
      kind: "set",
      jid: "new@x",
      name: "New Guy",
      groups: ["G"],
    });
    assert.deepEqual(planAdd("n@x", "", []), {
      kind: "set",
      jid: "n@x",
      groups: [],
    });
    const bad = planAdd("not a jid", undefined, []);
    assert.ok(bad instanceof ParseError);
    assert.equal(bad.condition, "jid-malformed");
    const long = planAdd("n@x", undefined, ["g".repeat(500)]);
    assert.ok(long instanceof ParseError);
    assert.equal(long.condition, "bad-group");
  });

  await t.step("edit: name only keeps groups, groups only keeps name", () => {
    assert.deepEqual(planEdit(ROSTER, "bob@x", { name: "Robert" }), {
      kind: "set",
      jid: "bob@x",
      name: "Robert",
      groups: ["Support", "Sales"],
    });
    assert.deepEqual(planEdit(ROSTER, "bob@x", { groups: ["VIP"] }), {
      kind: "set",
      jid: "bob@x",
      name: "Bob",
      groups: ["VIP"],
    });
    assert.deepEqual(planEdit(ROSTER, "ann@x", { name: "" }), {
      kind: "set",
      jid: "ann@x",
      groups: ["Support"],
    });
    const missing = planEdit(ROSTER, "zz@x", { name: "Z" });
    assert.ok(missing instanceof ParseError);
    assert.equal(missing.condition, "item-not-found");
  });

  await t.step("move: out of one group into another, others kept", () => {
    assert.deepEqual(
      planMove(ROSTER, ["bob@x", "ann@x", "cy@x", "ghost@x"], "Support", "VIP"),
      [
        { kind: "set", jid: "bob@x", name: "Bob", groups: ["Sales", "VIP"] },
        { kind: "set", jid: "ann@x", name: "Ann", groups: ["VIP"] },
      ],
    );
    assert.deepEqual(planMove(ROSTER, ["bob@x"], "Support", "Sales"), [
      { kind: "set", jid: "bob@x", name: "Bob", groups: ["Sales"] },
    ]);
    assert.deepEqual(planMove(ROSTER, ["dee@x"], NO_GROUP, "Sales"), [
      { kind: "set", jid: "dee@x", groups: ["Sales"] },
    ]);
    assert.deepEqual(planMove(ROSTER, ["ann@x"], "Support", NO_GROUP), [
      { kind: "set", jid: "ann@x", name: "Ann", groups: [] },
    ]);
    assert.deepEqual(planMove(ROSTER, ["ann@x"], "Support", "Support"), []);
    assert.ok(
      planMove(ROSTER, ["ann@x"], "Support", "  ") instanceof ParseError,
    );
  });

  await t.step("remove from group: only that group, last group removes", () => {
    assert.deepEqual(
      planRemoveFromGroup(ROSTER, ["bob@x", "ann@x", "cy@x"], "Support"),
      [
        { kind: "set", jid: "bob@x", name: "Bob", groups: ["Sales"] },
        { kind: "remove", jid: "ann@x" },
      ],
    );
    assert.deepEqual(planRemoveFromGroup(ROSTER, ["dee@x"], NO_GROUP), [
      { kind: "remove", jid: "dee@x" },
    ]);
  });

  await t.step("rename group: keeps position, merges duplicates", () => {
    assert.deepEqual(planRenameGroup(ROSTER, "Support", "Help"), [
      { kind: "set", jid: "ann@x", name: "Ann", groups: ["Help"] },
      { kind: "set", jid: "bob@x", name: "Bob", groups: ["Help", "Sales"] },
    ]);
    assert.deepEqual(planRenameGroup(ROSTER, "Support", "Sales"), [
      { kind: "set", jid: "ann@x", name: "Ann", groups: ["Sales"] },
      { kind: "set", jid: "bob@x", name: "Bob", groups: ["Sales"] },
    ]);
    assert.deepEqual(planRenameGroup(ROSTER, "Nope", "X"), []);
    assert.ok(planRenameGroup(ROSTER, "Support", "") instanceof ParseError);
  });

  await t.step(
    "delete group: members go, multi-group ones only leave it",
    () => {
      assert.deepEqual(planDeleteGroup(ROSTER, "Sales"), [
        { kind: "set", jid: "bob@x", name: "Bob", groups: ["Support"] },
        { kind: "remove", jid: "cy@x" },
      ]);
      assert.deepEqual(planDeleteGroup(ROSTER, "Nope"), []);
    },
  );
});
