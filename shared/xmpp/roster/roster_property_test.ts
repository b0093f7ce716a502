// Property tests of the roster's wire readers and push handler (RFC 6121
// §2.1): whatever a server or a forger sends as a roster result or push,
// nothing throws; the roster stays consistent (one item per bare JID, keyed
// by it; every group has members and its count matches; every contact is
// in each of its groups once); a refused push changes nothing and is
// answered once; a push not from the own account is refused; names and
// groups are the wire's text cleaned, never unescaped or re-parsed, and the
// state is plain data.
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid, parseJid } from "../core/jid_parse.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyTree,
  hostileText,
  hugeText,
  jidText,
  OWN_JID,
} from "../../../tests/support/stanza_arbitrary.ts";
import {
  NS_ROSTER,
  parseRosterResult,
  ROSTER_LIMITS,
} from "./roster_parser.ts";
import {
  applyRosterResult,
  EMPTY_ROSTER,
  groupRoster,
  handleRosterPush,
  type RosterState,
} from "./roster_state.ts";
import {
  planDeleteGroup,
  planMove,
  planRenameGroup,
} from "./roster_changes.ts";

const groupName = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "Friends",
      "friends",
      " Friends ",
      "Work",
      "",
      "\u202eWork",
    ),
  },
  { weight: 4, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
);

function optional(
  attrs: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined) out[name] = value;
  }
  return out;
}

const item: fc.Arbitrary<XmlElement> = fc.record({
  jid: fc.option(jidText, { nil: undefined }),
  name: fc.option(
    fc.oneof({ weight: 8, arbitrary: hostileText }, {
      weight: 1,
      arbitrary: hugeText,
    }),
    { nil: undefined },
  ),
  subscription: fc.option(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc.constantFrom("none", "to", "from", "both", "remove"),
      },
      { weight: 1, arbitrary: hostileText },
    ),
    { nil: undefined },
  ),
  ask: fc.option(fc.constantFrom("subscribe", "unsubscribe", "x"), {
    nil: undefined,
  }),
  approved: fc.option(fc.constantFrom("true", "1", "false"), {
    nil: undefined,
  }),
  children: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: groupName.map((g) => xml("group", {}, g)) },
      {
        weight: 1,
        arbitrary: groupName.map((g) =>
          xml("group", { xmlns: "urn:other" }, g)
        ),
      },
      { weight: 1, arbitrary: anyTree },
      { weight: 1, arbitrary: hostileText },
    ),
    { maxLength: 5 },
  ),
}).map(({ children, ...attrs }) => xml("item", optional(attrs), ...children));

const query = fc.record({
  xmlns: fc.oneof(
    { weight: 8, arbitrary: fc.constant(NS_ROSTER) },
    { weight: 1, arbitrary: fc.constantFrom("jabber:iq:rosterx", "") },
  ),
  ver: fc.option(
    fc.oneof({ weight: 8, arbitrary: hostileText }, {
      weight: 1,
      arbitrary: hugeText,
    }),
    { nil: undefined },
  ),
  children: fc.array(
    fc.oneof({ weight: 6, arbitrary: item }, { weight: 1, arbitrary: anyTree }),
    { maxLength: 12 },
  ),
}).map(({ children, ...attrs }) => xml("query", optional(attrs), ...children));

const iqType = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom("result", "set") },
  { weight: 1, arbitrary: fc.constantFrom("get", "error", "") },
);

const rosterIq = (from: fc.Arbitrary<string | undefined>) =>
  fc.record({
    name: fc.oneof({ weight: 9, arbitrary: fc.constant("iq") }, {
      weight: 1,
      arbitrary: fc.constant("message"),
    }),
    type: iqType,
    from,
    id: fc.option(hostileText, { nil: undefined }),
    children: fc.array(
      fc.oneof({ weight: 6, arbitrary: query }, {
        weight: 1,
        arbitrary: anyTree,
      }),
      { maxLength: 2 },
    ),
  }).map(({ name, children, ...attrs }) =>
    xml(name, optional(attrs), ...children)
  );

/** A push as servers send it (one item in an iq set), or mangled. */
const pushIq = (from: fc.Arbitrary<string | undefined>) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        type: fc.oneof(
          { weight: 9, arbitrary: fc.constant("set") },
          { weight: 1, arbitrary: iqType },
        ),
        from,
        id: fc.option(hostileText, { nil: undefined }),
        item,
        ver: fc.option(hostileText, { nil: undefined }),
      }).map(({ item, ver, ...attrs }) =>
        xml(
          "iq",
          optional(attrs),
          xml("query", optional({ xmlns: NS_ROSTER, ver }), item),
        )
      ),
    },
    { weight: 1, arbitrary: rosterIq(from) },
  );

const ownFrom = fc.constantFrom(undefined, OWN_JID, "Agent@Example.com");
const anyIq = rosterIq(fc.option(jidText, { nil: undefined }));

/** A roster result as servers send it, or mangled. */
const resultIq = fc.oneof(
  {
    weight: 4,
    arbitrary: query.map((q) => xml("iq", { type: "result", id: "r1" }, q)),
  },
  { weight: 1, arbitrary: anyIq },
);

const SUBSCRIPTIONS = new Set(["none", "to", "from", "both"]);

/** The items a result keeps, the last one per bare JID. */
function wireItems(iq: XmlElement): Map<string, XmlElement> {
  const byJid = new Map<string, XmlElement>();
  for (const el of iq.getChild("query", NS_ROSTER)?.getChildElements() ?? []) {
    if (!el.is("item", NS_ROSTER)) continue;
    // What the parser skips: a bad subscription, or a removal in a result.
    if (!SUBSCRIPTIONS.has(el.attrs.subscription ?? "none")) continue;
    const jid = parseBareJid(el.attrs.jid);
    if (!(jid instanceof ParseError)) byJid.set(jid, el);
  }
  return byJid;
}

function expectedGroups(el: XmlElement): string[] {
  const groups = new Set<string>();
  for (const child of el.getChildElements()) {
    if (groups.size === ROSTER_LIMITS.groupsPerItem) break;
    if (!child.is("group", NS_ROSTER)) continue;
    const group = cleanText(child.text(), ROSTER_LIMITS.groupLength);
    if (group !== "") groups.add(group);
  }
  return [...groups];
}

function assertConsistent(state: RosterState): void {
  assertPlainData(state);
  let memberships = 0;
  for (const [key, contact] of state.items) {
    assert.equal(contact.jid, key, "keyed by its own bare JID");
    assert.equal(parseBareJid(key), key, "a bare, normalised JID");
    assert.ok(["none", "to", "from", "both"].includes(contact.subscription));
    assert.equal(new Set(contact.groups).size, contact.groups.length);
    for (const group of contact.groups) {
      assert.ok(group !== "" && [...group].length <= ROSTER_LIMITS.groupLength);
    }
    if (contact.name !== undefined) {
      assert.ok(
        contact.name !== "" &&
          [...contact.name].length <= ROSTER_LIMITS.nameLength,
      );
    }
    memberships += Math.max(1, contact.groups.length);
  }
  const groups = groupRoster(state.items.values());
  assert.equal(new Set(groups.map((g) => g.name)).size, groups.length);
  let listed = 0;
  for (const group of groups) {
    assert.ok(group.count > 0, `no orphan group: ${group.name}`);
    assert.equal(group.count, group.contacts.length);
    for (const contact of group.contacts) {
      assert.equal(state.items.get(contact.jid), contact);
      assert.ok(
        group.name === ""
          ? contact.groups.length === 0
          : contact.groups.includes(group.name),
      );
    }
    listed += group.count;
  }
  assert.equal(listed, memberships, "each contact once in each of its groups");
}

Deno.test("parseRosterResult: never throws; items unique, verbatim, bounded", () => {
  let items = 0;
  fc.assert(
    fc.property(resultIq, (iq) => {
      const before = iq.toString();
      const result = parseRosterResult(iq);
      assert.equal(iq.toString(), before, "the answer is unchanged");
      if (result instanceof ParseError) return;
      assertPlainData(result.items);
      assert.ok(result.ver === undefined || result.ver.length <= 1024);
      assert.equal(
        new Set(result.items.map((i) => i.jid)).size,
        result.items.length,
      );
      const wire = wireItems(iq);
      for (const parsed of result.items) {
        items++;
        const el = wire.get(parsed.jid);
        assert.ok(el !== undefined, "every item comes from a wire item");
        // Cleaned, never unescaped: "&lt;b&gt;" stays as it came.
        const name = cleanText(el.attrs.name ?? "", ROSTER_LIMITS.nameLength);
        assert.equal(parsed.name, name === "" ? undefined : name);
        assert.deepEqual(parsed.groups, expectedGroups(el));
      }
      assertConsistent(applyRosterResult(EMPTY_ROSTER, result));
    }),
    fuzzRuns(6121_0001),
  );
  assert.ok(items >= 500, `${items} items parsed`);
});

/** A roster to push into: one fuzzed result, possibly empty. */
function startFrom(result: XmlElement): RosterState {
  const parsed = parseRosterResult(result);
  return parsed instanceof ParseError
    ? EMPTY_ROSTER
    : applyRosterResult(EMPTY_ROSTER, parsed);
}

Deno.test("handleRosterPush: any sequence keeps the roster consistent, one answer each", () => {
  let applied = 0;
  fc.assert(
    fc.property(
      rosterIq(fc.constant(undefined)).map((iq) =>
        xml("iq", { ...iq.attrs, type: "result" }, ...iq.children)
      ),
      fc.array(
        fc.oneof(
          pushIq(ownFrom),
          pushIq(fc.option(jidText, { nil: undefined })),
        ),
        {
          maxLength: 10,
        },
      ),
      (result, pushes) => {
        let state = startFrom(result);
        assertConsistent(state);
        for (const push of pushes) {
          const outcome = handleRosterPush(state, push, OWN_JID);
          assert.equal(outcome.effects.length, 1, "exactly one answer");
          const [reply] = outcome.effects;
          assert.equal(reply.stanza.attrs.id, push.attrs.id);
          assert.equal(
            reply.stanza.attrs.type,
            outcome.rejected ? "error" : "result",
          );
          if (outcome.rejected) {
            assert.equal(
              outcome.state,
              state,
              "a refused push changes nothing",
            );
          } else {
            applied++;
            // RFC 6121 §2.1.6: only the own account may push.
            const from = push.attrs.from;
            const jid = from === undefined ? undefined : parseJid(from);
            assert.ok(
              jid === undefined ||
                (!(jid instanceof ParseError) && jid.bare === OWN_JID &&
                  jid.resource === undefined),
            );
          }
          state = outcome.state;
          assertConsistent(state);
        }
      },
    ),
    fuzzRuns(6121_0002),
  );
  assert.ok(applied >= 200, `${applied} pushes applied`);
});

Deno.test("forged roster pushes are refused and change nothing", () => {
  const foreign = jidText.filter((from) => {
    const jid = parseJid(from);
    return jid instanceof ParseError || jid.resource !== undefined ||
      jid.bare !== OWN_JID;
  });
  fc.assert(
    fc.property(
      rosterIq(fc.constant(undefined)),
      pushIq(foreign),
      (result, push) => {
        const state = startFrom(
          xml("iq", { ...result.attrs, type: "result" }, ...result.children),
        );
        const outcome = handleRosterPush(state, push, OWN_JID);
        assert.equal(outcome.state, state);
        assert.equal(outcome.rejected?.condition, "forged-push");
        const condition = outcome.effects[0].stanza.getChild("error")
          ?.getChildElements()[0]?.name;
        assert.equal(condition, "service-unavailable");
      },
    ),
    fuzzRuns(6121_0003),
  );
});

Deno.test("planning group actions on any fuzzed roster never throws", () => {
  fc.assert(
    fc.property(
      rosterIq(fc.constant(undefined)),
      groupName,
      groupName,
      (result, from, to) => {
        const state = startFrom(
          xml("iq", { ...result.attrs, type: "result" }, ...result.children),
        );
        const jids = [...state.items.keys()];
        for (
          const planned of [
            planRenameGroup(state, from, to),
            planMove(state, jids, from, to),
            planDeleteGroup(state, from),
          ]
        ) {
          if (planned instanceof ParseError) continue;
          assertPlainData(planned);
          for (const change of Array.isArray(planned) ? planned : [planned]) {
            assert.ok(
              state.items.has(change.jid),
              "only contacts in the roster",
            );
          }
        }
      },
    ),
    fuzzRuns(6121_0004),
  );
});
