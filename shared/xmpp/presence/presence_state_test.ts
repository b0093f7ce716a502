import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import {
  applyPresence,
  EMPTY_PRESENCE,
  PRESENCE_LIMITS,
  type PresenceContext,
  type PresenceState,
  removeRequest,
} from "./presence_state.ts";
import { composePresence, OFFLINE } from "./presence_compose.ts";

const OWN = "agent@example.com";
const ALL: PresenceContext = { ownBareJid: OWN };
const ROSTER: PresenceContext = {
  ownBareJid: OWN,
  isKnown: (jid) => jid === "bob@x" || jid === "ann@x",
};

function presence(
  attrs: Record<string, string>,
  fields: { show?: string; status?: string; priority?: string } = {},
): XmlElement {
  return xml(
    "presence",
    attrs,
    fields.show === undefined ? undefined : xml("show", {}, fields.show),
    fields.status === undefined ? undefined : xml("status", {}, fields.status),
    fields.priority === undefined
      ? undefined
      : xml("priority", {}, fields.priority),
  );
}

function run(
  stanzas: XmlElement[],
  context: PresenceContext = ROSTER,
  start: PresenceState = EMPTY_PRESENCE,
): PresenceState {
  return stanzas.reduce(
    (state, stanza) => applyPresence(state, stanza, context).state,
    start,
  );
}

function composed(state: PresenceState, jid: string) {
  return composePresence(state.contacts.get(jid));
}

Deno.test("applyPresence and composePresence", async (t) => {
  await t.step("no presence is offline", () => {
    assert.equal(composed(EMPTY_PRESENCE, "bob@x"), OFFLINE);
  });

  await t.step("one resource: show, status, availability", () => {
    const state = run([
      presence({ from: "bob@x/desk" }, {
        show: "away",
        status: " On  a call ",
      }),
    ]);
    assert.deepEqual(composed(state, "bob@x"), {
      availability: "away",
      show: "away",
      status: "On a call",
      resource: "desk",
      resources: 1,
    });
  });

  await t.step("two resources: the higher priority wins", () => {
    const state = run([
      presence({ from: "bob@x/desk" }, { show: "dnd", priority: "10" }),
      presence({ from: "bob@x/phone" }, { priority: "1" }),
    ]);
    assert.equal(composed(state, "bob@x").show, "dnd");
    assert.equal(composed(state, "bob@x").resources, 2);
  });

  await t.step(
    "equal priority: the more available wins, then the newer",
    () => {
      const tie = run([
        presence({ from: "bob@x/desk" }, { show: "dnd" }),
        presence({ from: "bob@x/phone" }, { show: "xa" }),
        presence({ from: "bob@x/web" }, { show: "away" }),
      ]);
      assert.equal(composed(tie, "bob@x").resource, "web");
      const same = run([
        presence({ from: "bob@x/desk" }, { status: "old" }),
        presence({ from: "bob@x/phone" }, { status: "new" }),
      ]);
      assert.equal(composed(same, "bob@x").status, "new");
      const chat = run([
        presence({ from: "bob@x/desk" }),
        presence({ from: "bob@x/phone" }, { show: "chat" }),
      ]);
      assert.equal(composed(chat, "bob@x").availability, "available");
      assert.equal(composed(chat, "bob@x").show, "chat");
    },
  );

  await t.step("negative priority loses to any other", () => {
    const state = run([
      presence({ from: "bob@x/bot" }, { priority: "-1" }),
      presence({ from: "bob@x/desk" }, { show: "xa", priority: "0" }),
    ]);
    assert.equal(composed(state, "bob@x").resource, "desk");
  });

  await t.step("unavailable of one resource leaves the other", () => {
    const state = run([
      presence({ from: "bob@x/desk" }, { show: "dnd", priority: "10" }),
      presence({ from: "bob@x/phone" }, { priority: "1" }),
      presence({ from: "bob@x/desk", type: "unavailable" }),
    ]);
    assert.equal(composed(state, "bob@x").show, "available");
    assert.equal(composed(state, "bob@x").resource, "phone");
    const gone = run(
      [presence({ from: "bob@x/phone", type: "unavailable" })],
      ROSTER,
      state,
    );
    assert.equal(composed(gone, "bob@x"), OFFLINE);
    assert.equal(gone.contacts.has("bob@x"), false, "no empty entries kept");
  });

  await t.step("unavailable from the bare JID drops every resource", () => {
    const state = run([
      presence({ from: "bob@x/desk" }),
      presence({ from: "bob@x/phone" }),
      presence({ from: "bob@x", type: "unavailable" }),
    ]);
    assert.equal(composed(state, "bob@x"), OFFLINE);
  });

  await t.step("error presence: offline, no entry kept", () => {
    const state = run([
      presence({ from: "bob@x/desk" }),
      xml(
        "presence",
        { from: "bob@x", type: "error" },
        xml(
          "error",
          { type: "cancel" },
          xml("remote-server-not-found", {
            xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas",
          }),
        ),
      ),
    ]);
    assert.equal(composed(state, "bob@x"), OFFLINE);
    assert.equal(state.contacts.has("bob@x"), false);
    const back = run([presence({ from: "bob@x/desk" })], ROSTER, state);
    assert.equal(composed(back, "bob@x").availability, "available");
    const junk = run([xml("presence", { from: "bob@x", type: "error" })]);
    assert.equal(composed(junk, "bob@x"), OFFLINE);
  });

  await t.step(
    "presence from unknown contacts is ignored with a roster",
    () => {
      const outcome = applyPresence(
        EMPTY_PRESENCE,
        presence({ from: "stranger@y/r" }),
        ROSTER,
      );
      assert.equal(outcome.state, EMPTY_PRESENCE);
      assert.ok(outcome.ignored);
      const own = run([presence({ from: `${OWN}/jabber` }, { show: "away" })]);
      assert.equal(
        composed(own, OWN).show,
        "away",
        "own resources always count",
      );
      const open = run([presence({ from: "stranger@y/r" })], ALL);
      assert.equal(composed(open, "stranger@y").availability, "available");
    },
  );

  await t.step("forged and malformed presence changes nothing", () => {
    for (
      const stanza of [
        presence({}),
        presence({ from: "" }),
        presence({ from: "bad jid@x/r" }),
        presence({ from: "bob@x/r\u0000" }),
        presence({ from: "bob@x/r", type: "bogus" }),
        xml("message", { from: "bob@x/r" }),
      ]
    ) {
      const outcome = applyPresence(EMPTY_PRESENCE, stanza, ROSTER);
      assert.equal(outcome.state, EMPTY_PRESENCE, stanza.toString());
      assert.ok(outcome.ignored);
    }
  });

  await t.step("hostile fields are cleaned and bounded", () => {
    const state = run([
      presence(
        { from: "bob@x/desk" },
        {
          show: "sleeping",
          status: "\u202eevil\u0007" + "x".repeat(100_000),
          priority: "99999",
        },
      ),
    ]);
    const resource = state.contacts.get("bob@x")?.resources.get("desk");
    assert.equal(resource?.show, "available");
    assert.equal(resource?.priority, 0);
    assert.equal(resource?.status?.length, PRESENCE_LIMITS.statusLength);
    assert.ok(resource?.status?.startsWith("evilx"));
    const many = run(
      Array.from(
        { length: 100 },
        (_, i) => presence({ from: `bob@x/r${i}` }),
      ),
    );
    assert.equal(
      many.contacts.get("bob@x")?.resources.size,
      PRESENCE_LIMITS.resourcesPerContact,
    );
  });

  await t.step("status without xml:lang is preferred", () => {
    const state = run([
      xml(
        "presence",
        { from: "bob@x/desk" },
        xml("status", { "xml:lang": "fr" }, "Occupé"),
        xml("status", {}, "Busy"),
      ),
    ]);
    assert.equal(composed(state, "bob@x").status, "Busy");
  });

  await t.step("composition is memoized per contact entry", () => {
    const state = run([presence({ from: "bob@x/desk" })]);
    const again = run([presence({ from: "ann@x/desk" })], ROSTER, state);
    assert.equal(composed(state, "bob@x"), composed(again, "bob@x"));
  });
});

Deno.test("subscription requests", async (t) => {
  await t.step(
    "subscribe adds, repeats keep their place, unsubscribe withdraws",
    () => {
      const state = run([
        xml(
          "presence",
          { from: "carol@y", type: "subscribe" },
          xml("status", {}, "Hi, Carol from billing"),
          xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, "Carol"),
        ),
        presence({ from: "dan@y/phone", type: "subscribe" }),
        presence({ from: "carol@y", type: "subscribe" }),
      ]);
      assert.deepEqual([...state.requests.values()], [
        { jid: "carol@y" },
        { jid: "dan@y" },
      ]);
      const first = run([
        xml(
          "presence",
          { from: "carol@y", type: "subscribe" },
          xml("nick", { xmlns: "http://jabber.org/protocol/nick" }, "Carol"),
        ),
      ]);
      assert.deepEqual(first.requests.get("carol@y"), {
        jid: "carol@y",
        nick: "Carol",
      });
      const withdrawn = run(
        [presence({ from: "dan@y", type: "unsubscribe" })],
        ROSTER,
        state,
      );
      assert.deepEqual([...withdrawn.requests.keys()], ["carol@y"]);
      assert.deepEqual(
        [...removeRequest(withdrawn, "carol@y").requests.keys()],
        [],
      );
    },
  );

  await t.step("from ourselves is ignored; a flood keeps the newest", () => {
    const outcome = applyPresence(
      EMPTY_PRESENCE,
      presence({ from: OWN, type: "subscribe" }),
      ROSTER,
    );
    assert.equal(outcome.state, EMPTY_PRESENCE);
    const flood = run(
      Array.from(
        { length: PRESENCE_LIMITS.requests + 5 },
        (_, i) => presence({ from: `spam${i}@y`, type: "subscribe" }),
      ),
    );
    assert.equal(flood.requests.size, PRESENCE_LIMITS.requests);
    assert.equal(flood.requests.has("spam0@y"), false);
    assert.equal(
      flood.requests.has(`spam${PRESENCE_LIMITS.requests + 4}@y`),
      true,
    );
  });

  await t.step("subscribed, unsubscribed and probe change nothing", () => {
    for (const type of ["subscribed", "unsubscribed", "probe"]) {
      const outcome = applyPresence(
        EMPTY_PRESENCE,
        presence({ from: "bob@x", type }),
        ROSTER,
      );
      assert.equal(outcome.state, EMPTY_PRESENCE);
      assert.equal(outcome.ignored, undefined);
    }
  });
});
