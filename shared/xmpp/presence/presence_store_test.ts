// The presence store driven through a scripted connection. Real Prosody:
// tests/integration/roster_presence_test.ts.
import assert from "node:assert/strict";
import { signal } from "@preact/signals-core";
import { xml } from "@xmpp/xml";
import { routeConnection } from "../router/routed_connection.ts";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError, TransportError } from "../core/errors.ts";
import { OFFLINE } from "./presence_compose.ts";
import { createPresenceStore } from "./presence_store.ts";
import type { RosterItem } from "../roster/roster_parser.ts";

const OWN = "agent@example.com";

function rosterOf(...items: RosterItem[]) {
  return signal<ReadonlyMap<string, RosterItem>>(
    new Map(items.map((item) => [item.jid, item])),
  );
}

function presence(
  attrs: Record<string, string>,
  ...children: XmlElement[]
): XmlElement {
  return xml("presence", attrs, ...children);
}

function describe(stanza: XmlElement) {
  return {
    to: stanza.attrs.to,
    type: stanza.attrs.type,
    show: stanza.getChildText("show") ?? undefined,
    status: stanza.getChildText("status") ?? undefined,
    priority: stanza.getChildText("priority") ?? undefined,
  };
}

Deno.test("presence store", async (t) => {
  await t.step(
    "own state: available by default, setPresence sends it",
    async () => {
      const connection = new FakeConnection(OWN);
      const store = createPresenceStore(routeConnection(connection), {
        priority: 5,
      });
      assert.deepEqual(store.own.value, { show: "available", status: "" });
      await store.setPresence("available");
      await store.setPresence("dnd", "  In a  meeting ");
      await store.setPresence("away");
      assert.deepEqual(connection.sent.map(describe), [
        {
          to: undefined,
          type: undefined,
          show: undefined,
          status: undefined,
          priority: "5",
        },
        {
          to: undefined,
          type: undefined,
          show: "dnd",
          status: "In a meeting",
          priority: "5",
        },
        {
          to: undefined,
          type: undefined,
          show: "away",
          status: undefined,
          priority: "5",
        },
      ]);
      assert.deepEqual(store.own.value, { show: "away", status: "" });
      store[Symbol.dispose]();
    },
  );

  await t.step("a failed send keeps the old state and reports", async () => {
    const connection = new FakeConnection(OWN);
    connection.send = () =>
      Promise.reject(new TransportError("connection-lost", "gone"));
    const store = createPresenceStore(routeConnection(connection));
    await assert.rejects(store.setPresence("dnd"), TransportError);
    assert.equal(store.own.value.show, "available");
    assert.ok(store.error.value instanceof TransportError);
    store[Symbol.dispose]();
  });

  await t.step("presenceOf is live, per contact, and stable", () => {
    const connection = new FakeConnection(OWN);
    const roster = rosterOf(
      { jid: "bob@x", groups: [], subscription: "both" },
      { jid: "ann@x", groups: [], subscription: "both" },
    );
    const store = createPresenceStore(routeConnection(connection), {
      roster: { contacts: roster },
    });
    const bob = store.presenceOf("Bob@X");
    assert.equal(bob, store.presenceOf("bob@x"));
    const bobSeen: string[] = [];
    const stopBob = bob.subscribe((p) =>
      bobSeen.push(`${p.show}/${p.resources}`)
    );

    connection.deliver(
      presence(
        { from: "bob@x/desk" },
        xml("show", {}, "away"),
        xml("priority", {}, "5"),
      ),
    );
    connection.deliver(
      presence({ from: "bob@x/phone" }, xml("priority", {}, "1")),
    );
    connection.deliver(presence({ from: "ann@x/desk" }));
    connection.deliver(presence({ from: "stranger@y/r" }));
    connection.deliver(presence({ from: "bob@x/desk", type: "unavailable" }));
    connection.deliver(presence({ from: "bob@x/phone", type: "unavailable" }));

    assert.deepEqual(bobSeen, [
      "unavailable/0",
      "away/1",
      "away/2",
      "available/1",
      "unavailable/0",
    ], "ann's and the stranger's presence never woke bob's view");
    assert.equal(store.presenceOf("ann@x").value.availability, "available");
    assert.equal(store.presenceOf("stranger@y").value, OFFLINE);
    stopBob();
    store[Symbol.dispose]();
  });

  await t.step("presence already received shows on a late presenceOf", () => {
    const connection = new FakeConnection(OWN);
    const store = createPresenceStore(routeConnection(connection));
    connection.deliver(
      presence({ from: "bob@x/desk" }, xml("show", {}, "dnd")),
    );
    assert.equal(store.presenceOf("bob@x").value.availability, "dnd");
    store[Symbol.dispose]();
  });

  await t.step("requests: accept approves and subscribes back", async () => {
    const connection = new FakeConnection(OWN);
    const roster = rosterOf();
    const store = createPresenceStore(routeConnection(connection), {
      roster: { contacts: roster },
    });
    connection.deliver(presence({ from: "carol@y", type: "subscribe" }));
    connection.deliver(presence({ from: "dan@y", type: "subscribe" }));
    assert.deepEqual(store.requests.value.map((r) => r.jid), [
      "carol@y",
      "dan@y",
    ]);

    await store.accept("carol@y");
    await store.decline("dan@y");
    assert.deepEqual(
      connection.sent.map((s) => [s.attrs.type, s.attrs.to]),
      [["subscribed", "carol@y"], ["subscribe", "carol@y"], [
        "unsubscribed",
        "dan@y",
      ]],
    );
    assert.deepEqual(store.requests.value, []);
    await assert.rejects(store.accept("not a jid"), ParseError);
    store[Symbol.dispose]();
  });

  await t.step("accept does not re-ask a contact we already see", async () => {
    const connection = new FakeConnection(OWN);
    const roster = rosterOf({ jid: "carol@y", groups: [], subscription: "to" });
    const store = createPresenceStore(routeConnection(connection), {
      roster: { contacts: roster },
    });
    await store.accept("carol@y");
    await store.accept("erin@y", { subscribeBack: false });
    assert.deepEqual(
      connection.sent.map((s) => [s.attrs.type, s.attrs.to]),
      [["subscribed", "carol@y"], ["subscribed", "erin@y"]],
    );
    store[Symbol.dispose]();
  });

  await t.step("a request approved by another client disappears", () => {
    const connection = new FakeConnection(OWN);
    const roster = rosterOf();
    const store = createPresenceStore(routeConnection(connection), {
      roster: { contacts: roster },
    });
    connection.deliver(presence({ from: "carol@y", type: "subscribe" }));
    assert.equal(store.requests.value.length, 1);
    roster.value = new Map([
      ["carol@y", { jid: "carol@y", groups: [], subscription: "from" }],
    ]);
    assert.equal(store.requests.value.length, 0);
    store[Symbol.dispose]();
  });

  await t.step("XEP-0115: every own presence carries the caps", async () => {
    const connection = new FakeConnection(OWN);
    const c = xml("c", {
      xmlns: "http://jabber.org/protocol/caps",
      hash: "sha-1",
      node: "urn:example",
      ver: "v",
    });
    const store = createPresenceStore(routeConnection(connection), {
      caps: () => Promise.resolve(c),
    });
    await store.setPresence("available");
    await store.setPresence("away");
    assert.deepEqual(
      connection.sent.map((p) =>
        p.getChild("c", "http://jabber.org/protocol/caps")?.attrs.ver
      ),
      ["v", "v"],
    );
    store[Symbol.dispose]();
  });

  await t.step("dispose stops listening", () => {
    const connection = new FakeConnection(OWN);
    const store = createPresenceStore(routeConnection(connection));
    const bob = store.presenceOf("bob@x");
    store[Symbol.dispose]();
    connection.deliver(presence({ from: "bob@x/desk" }));
    assert.equal(bob.value, OFFLINE);
  });
});
