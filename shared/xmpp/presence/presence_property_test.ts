// Property tests of presence handling (RFC 6121 §3, §4): on any sequence of
// presence stanzas a contact, a stranger or a forger can send, the pure
// handler never throws and keeps its state consistent (keyed by bare JID,
// no contact without a resource or an error, bounded resources, requests
// and texts; only roster contacts tracked; nobody asks us from our own
// account), a refused stanza changes nothing, status and nick are the
// wire's text cleaned (never unescaped), and the store shows exactly what
// the pure handler computes, as plain data.
import assert from "node:assert/strict";
import fc from "fast-check";
import { signal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid, parseJid } from "../core/jid_parse.ts";
import { routeConnection } from "../router/routed_connection.ts";
import type { RosterItem } from "../roster/roster_parser.ts";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyTree,
  hostileText,
  hugeText,
  JIDS,
  jidText,
  NS,
  OWN_JID,
} from "../../../tests/support/stanza_arbitrary.ts";
import { composePresence } from "./presence_compose.ts";
import {
  applyPresence,
  EMPTY_PRESENCE,
  PRESENCE_LIMITS,
  type PresenceContext,
  type PresenceState,
} from "./presence_state.ts";
import { createPresenceStore } from "./presence_store.ts";

const KNOWN = ["bob@example.com", "carol@example.com"];

const statusText = fc.oneof(
  { weight: 8, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
);

const child: fc.Arbitrary<XmlElement | string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.constantFrom("chat", "away", "xa", "dnd", " dnd ", "available"),
      hostileText,
    ).map((show) => xml("show", {}, show)),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(
      statusText,
      fc.option(fc.constantFrom("en", "de", ""), { nil: undefined }),
    ).map(([text, lang]) =>
      xml("status", lang === undefined ? {} : { "xml:lang": lang }, text)
    ),
  },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer({ min: -200, max: 200 }).map(String),
      fc.constantFrom("+5", "-0", "1e2", "007", " 3 ", "١"),
      hostileText,
    ).map((priority) => xml("priority", {}, priority)),
  },
  {
    weight: 2,
    arbitrary: statusText.map((nick) => xml("nick", { xmlns: NS.nick }, nick)),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(hostileText, hostileText, hostileText).map((
      [hash, node, ver],
    ) => xml("c", { xmlns: NS.caps, hash, node, ver })),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom("remote-server-not-found", "forbidden", "Bad_Name"),
      fc.string({ minLength: 1, maxLength: 70 }),
    ).map((condition) =>
      xml("error", { type: "cancel" }, xml(condition, { xmlns: NS.stanzas }))
    ),
  },
  { weight: 1, arbitrary: anyTree },
  { weight: 1, arbitrary: hostileText },
);

const from = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.tuple(
      fc.constantFrom(...KNOWN, OWN_JID, "stranger@example.com"),
      fc.option(fc.constantFrom("desk", "phone", "", "\u202e"), {
        nil: undefined,
      }),
    ).map(([bare, resource]) =>
      resource === undefined ? bare : `${bare}/${resource}`
    ),
  },
  { weight: 1, arbitrary: jidText },
);

const presenceStanza: fc.Arbitrary<XmlElement> = fc.record({
  name: fc.oneof(
    { weight: 20, arbitrary: fc.constant("presence") },
    { weight: 1, arbitrary: fc.constantFrom("message", "iq") },
  ),
  from: fc.option(from, { freq: 20, nil: undefined }),
  type: fc.option(
    fc.oneof(
      {
        weight: 8,
        arbitrary: fc.constantFrom(
          "unavailable",
          "subscribe",
          "unsubscribe",
          "subscribed",
          "unsubscribed",
          "probe",
          "error",
        ),
      },
      { weight: 1, arbitrary: hostileText },
    ),
    { freq: 2, nil: undefined },
  ),
  children: fc.array(child, { maxLength: 5 }),
}).map(({ name, from, type, children }) => {
  const attrs: Record<string, string> = {};
  if (from !== undefined) attrs.from = from;
  if (type !== undefined) attrs.type = type;
  return xml(name, attrs, ...children);
});

function assertConsistent(state: PresenceState, known?: string[]): void {
  assertPlainData(state);
  assert.ok(state.contacts.size <= PRESENCE_LIMITS.contacts);
  for (const [jid, contact] of state.contacts) {
    assert.equal(parseBareJid(jid), jid, "keyed by bare JID");
    if (known !== undefined) {
      assert.ok(known.includes(jid) || jid === OWN_JID, `${jid} is tracked`);
    }
    assert.ok(contact.resources.size > 0, "an offline contact is dropped");
    assert.ok(contact.resources.size <= PRESENCE_LIMITS.resourcesPerContact);
    for (const resource of contact.resources.values()) {
      assert.ok(
        ["chat", "available", "away", "xa", "dnd"].includes(resource.show),
      );
      assert.ok(Number.isInteger(resource.priority));
      assert.ok(resource.priority >= -128 && resource.priority <= 127);
      assert.ok(resource.seq <= state.seq);
      if (resource.status !== undefined) {
        assert.equal(
          cleanText(resource.status, PRESENCE_LIMITS.statusLength),
          resource.status,
        );
        assert.notEqual(resource.status, "");
      }
    }
  }
  assert.ok(state.requests.size <= PRESENCE_LIMITS.requests);
  for (const [jid, request] of state.requests) {
    assert.equal(request.jid, jid);
    assert.equal(parseBareJid(jid), jid);
    assert.notEqual(jid, OWN_JID, "no request from our own account");
    for (const text of [request.status, request.nick]) {
      if (text !== undefined) assert.ok(text !== "" && text.trim() === text);
    }
  }
}

/** What the status of a presence should read: RFC 6121 §4.7.2.2. */
function expectedStatus(stanza: XmlElement): string | undefined {
  const statuses = stanza.getChildren("status");
  const chosen = statuses.find((s) => s.attrs["xml:lang"] === undefined) ??
    statuses[0];
  if (chosen === undefined) return undefined;
  return cleanText(chosen.text(), PRESENCE_LIMITS.statusLength) || undefined;
}

for (const tracked of [true, false]) {
  Deno.test(`applyPresence (${tracked ? "roster" : "anyone"}): any sequence keeps the state consistent`, () => {
    const context: PresenceContext = {
      ownBareJid: OWN_JID,
      isKnown: tracked ? (jid) => KNOWN.includes(jid) : undefined,
    };
    let checked = 0;
    fc.assert(
      fc.property(fc.array(presenceStanza, { maxLength: 16 }), (stanzas) => {
        let state = EMPTY_PRESENCE;
        for (const stanza of stanzas) {
          const outcome = applyPresence(state, stanza, context);
          if (outcome.ignored !== undefined) {
            assert.equal(
              outcome.state,
              state,
              "a refused stanza changes nothing",
            );
          }
          assert.ok(outcome.state.seq >= state.seq);
          state = outcome.state;
          assertConsistent(state, tracked ? KNOWN : undefined);
          // The status shown is the wire's, cleaned: never unescaped.
          const jid = parseJid(stanza.attrs.from);
          const type = stanza.attrs.type;
          if (
            stanza.name === "presence" && type === undefined &&
            !(jid instanceof ParseError) && outcome.ignored === undefined
          ) {
            const resource = state.contacts.get(jid.bare)?.resources.get(
              jid.resource ?? "",
            );
            assert.equal(resource?.status, expectedStatus(stanza));
            checked++;
          }
          if (type === "subscribe" && outcome.ignored === undefined) {
            const jidOf = jid as { bare: string };
            assert.equal(
              state.requests.get(jidOf.bare)?.status,
              expectedStatus(stanza),
            );
          }
        }
      }),
      fuzzRuns(tracked ? 6121_0401 : 6121_0402),
    );
    assert.ok(checked >= 500, `${checked} statuses checked`);
  });
}

Deno.test("presence store: shows what applyPresence computes, as plain data", () => {
  const watched = [...KNOWN, OWN_JID, "stranger@example.com", ...JIDS];
  fc.assert(
    fc.property(fc.array(presenceStanza, { maxLength: 12 }), (stanzas) => {
      const wire = new FakeConnection(OWN_JID);
      using routed = routeConnection(wire);
      const roster = signal<ReadonlyMap<string, RosterItem>>(
        new Map(
          KNOWN.map((jid) => [jid, { jid, groups: [], subscription: "none" }]),
        ),
      );
      using store = createPresenceStore(routed, {
        roster: { contacts: roster },
      });
      const views = watched.map((jid) => [jid, store.presenceOf(jid)] as const);
      let state = EMPTY_PRESENCE;
      const context = {
        ownBareJid: OWN_JID,
        isKnown: (jid: string) => KNOWN.includes(jid),
      };
      for (const stanza of stanzas) {
        wire.deliver(stanza);
        state = applyPresence(state, stanza, context).state;
      }
      for (const [jid, view] of views) {
        const bare = parseBareJid(jid);
        const key = bare instanceof ParseError ? jid : bare;
        assert.deepEqual(view.value, composePresence(state.contacts.get(key)));
        assertPlainData(view.value);
      }
      assert.deepEqual(store.requests.value, [...state.requests.values()]);
      assertPlainData(store.requests.value);
    }),
    fuzzRuns(6121_0403),
  );
});
