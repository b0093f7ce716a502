// The roster store driven through a scripted connection: what it asks the
// server, and that its state follows pushes only. Real Prosody:
// tests/integration/roster_presence_test.ts.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import { routeConnection } from "../router/routed_connection.ts";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError, StanzaError, TimeoutError } from "../core/errors.ts";
import { NS_ROSTER } from "./roster_parser.ts";
import { NO_GROUP } from "./roster_state.ts";
import { createRosterStore } from "./roster_store.ts";

const OWN = "agent@example.com";

function item(
  jid: string,
  groups: string[],
  extra: Record<string, string> = {},
): XmlElement {
  return xml(
    "item",
    { jid, subscription: "both", ...extra },
    ...groups.map((g) => xml("group", {}, g)),
  );
}

function rosterQuery(...items: XmlElement[]): XmlElement {
  return xml("query", { xmlns: NS_ROSTER }, ...items);
}

function pushOf(element: XmlElement, from?: string): XmlElement {
  return xml(
    "iq",
    from === undefined
      ? { type: "set", id: "push" }
      : { type: "set", id: "push", from },
    rosterQuery(element),
  );
}

function sentItem(iq: XmlElement) {
  const element = iq.getChild("query", NS_ROSTER)?.getChild("item");
  return {
    jid: element?.attrs.jid,
    name: element?.attrs.name,
    subscription: element?.attrs.subscription,
    groups: element?.getChildren("group").map((g) => g.text()) ?? [],
  };
}

async function loaded(...items: XmlElement[]) {
  const connection = new FakeConnection(OWN);
  const store = createRosterStore(routeConnection(connection), {
    timeoutMs: 1234,
  });
  const loading = store.load();
  assert.equal(store.status.value, "loading");
  const [get] = connection.takeIqs();
  assert.equal(get.request.attrs.type, "get");
  assert.ok(get.request.getChild("query", NS_ROSTER));
  assert.equal(get.timeoutMs, 1234);
  get.result(rosterQuery(...items));
  await loading;
  return { connection, store };
}

Deno.test("roster store", async (t) => {
  await t.step("load fills contacts and groups", async () => {
    const { store } = await loaded(
      item("ann@x", ["Support"], { name: "Ann" }),
      item("bob@x", ["Support", "Sales"]),
      item("cy@x", []),
    );
    assert.equal(store.status.value, "ready");
    assert.deepEqual([...store.contacts.value.keys()], [
      "ann@x",
      "bob@x",
      "cy@x",
    ]);
    assert.deepEqual(
      store.groups.value.map((g) => [g.name, g.count]),
      [["Sales", 1], ["Support", 2], [NO_GROUP, 1]],
    );
    store[Symbol.dispose]();
  });

  await t.step("load failure lands on status and error", async () => {
    const connection = new FakeConnection(OWN);
    const store = createRosterStore(routeConnection(connection));
    const loading = store.load();
    connection.takeIqs()[0].timeout();
    await loading;
    assert.equal(store.status.value, "failed");
    assert.ok(store.error.value instanceof TimeoutError);
    store[Symbol.dispose]();
  });

  await t.step(
    "add sends a set and changes nothing until the push",
    async () => {
      const { connection, store } = await loaded();
      const adding = store.addContact("Dee@X", "Dee", ["Support"]);
      const [set] = connection.takeIqs();
      assert.equal(set.request.attrs.type, "set");
      assert.deepEqual(sentItem(set.request), {
        jid: "dee@x",
        name: "Dee",
        subscription: undefined,
        groups: ["Support"],
      });
      set.result();
      await adding;
      assert.equal(store.contacts.value.size, 0, "no push yet");
      connection.deliver(
        pushOf(item("dee@x", ["Support"], { subscription: "none" })),
      );
      assert.equal(store.contacts.value.get("dee@x")?.subscription, "none");
      await settle();
      const reply = connection.sent.at(-1);
      assert.equal(reply?.attrs.type, "result");
      assert.equal(reply?.attrs.id, "push");
      store[Symbol.dispose]();
    },
  );

  await t.step("a refused set rejects with the StanzaError", async () => {
    const { connection, store } = await loaded();
    const adding = store.addContact("dee@x");
    connection.takeIqs()[0].error("not-allowed");
    await assert.rejects(
      adding,
      (err: unknown) =>
        err instanceof StanzaError && err.condition === "not-allowed",
    );
    store[Symbol.dispose]();
  });

  await t.step("invalid input rejects without asking the server", async () => {
    const { connection, store } = await loaded(item("ann@x", ["A"]));
    await assert.rejects(store.addContact("no jid"), ParseError);
    await assert.rejects(store.editContact("zz@x", { name: "Z" }), ParseError);
    await assert.rejects(store.renameGroup("A", " "), ParseError);
    assert.equal(connection.iqs.length, 0);
    store[Symbol.dispose]();
  });

  await t.step(
    "move, remove-from-group, rename, delete: one set per contact",
    async () => {
      const { connection, store } = await loaded(
        item("ann@x", ["Support"]),
        item("bob@x", ["Support", "Sales"]),
      );
      const answerAll = () => {
        const iqs = connection.takeIqs();
        for (const iq of iqs) iq.result();
        return iqs.map((iq) => sentItem(iq.request));
      };

      const moving = store.moveContacts(["ann@x", "bob@x"], "Support", "VIP");
      assert.deepEqual(answerAll(), [
        {
          jid: "ann@x",
          name: undefined,
          subscription: undefined,
          groups: ["VIP"],
        },
        {
          jid: "bob@x",
          name: undefined,
          subscription: undefined,
          groups: ["Sales", "VIP"],
        },
      ]);
      await moving;

      const removing = store.removeFromGroup(["ann@x", "bob@x"], "Support");
      assert.deepEqual(
        answerAll().map((i) => [i.jid, i.subscription, i.groups]),
        [
          ["ann@x", "remove", []],
          ["bob@x", undefined, ["Sales"]],
        ],
      );
      await removing;

      const renaming = store.renameGroup("Sales", "Revenue");
      assert.deepEqual(answerAll().map((i) => i.groups), [[
        "Support",
        "Revenue",
      ]]);
      await renaming;

      const deleting = store.deleteGroup("Sales");
      assert.deepEqual(answerAll().map((i) => [i.jid, i.groups]), [
        ["bob@x", ["Support"]],
      ]);
      await deleting;

      // None of it shows until the server pushes.
      assert.deepEqual(store.contacts.value.get("bob@x")?.groups, [
        "Support",
        "Sales",
      ]);
      store[Symbol.dispose]();
    },
  );

  await t.step("removeContact removes whatever the groups", async () => {
    const { connection, store } = await loaded(item("ann@x", ["A", "B"]));
    const removing = store.removeContact("Ann@X");
    const [set] = connection.takeIqs();
    assert.deepEqual(sentItem(set.request), {
      jid: "ann@x",
      name: undefined,
      subscription: "remove",
      groups: [],
    });
    set.result();
    await removing;
    await assert.rejects(store.removeContact("a@b/c"), ParseError);
    store[Symbol.dispose]();
  });

  await t.step("a multi-contact change reports the first failure", async () => {
    const { connection, store } = await loaded(
      item("ann@x", ["G"]),
      item("bob@x", ["G"]),
    );
    const deleting = store.deleteGroup("G");
    const [first, second] = connection.takeIqs();
    first.result();
    second.error("item-not-found");
    await assert.rejects(
      deleting,
      (err: unknown) =>
        err instanceof StanzaError && err.condition === "item-not-found",
    );
    store[Symbol.dispose]();
  });

  await t.step(
    "pushes from another client apply live; forged ones do not",
    async () => {
      const { connection, store } = await loaded(item("ann@x", ["Support"]));
      const seen: string[][] = [];
      const stop = store.groups.subscribe((groups) =>
        seen.push(groups.map((g) => g.name))
      );
      connection.deliver(pushOf(item("ann@x", ["Escalations"]), OWN));
      assert.deepEqual(store.contacts.value.get("ann@x")?.groups, [
        "Escalations",
      ]);
      connection.deliver(
        pushOf(item("ann@x", [], { subscription: "remove" }), "evil@x"),
      );
      assert.ok(store.contacts.value.has("ann@x"), "forged remove ignored");
      assert.equal(store.lastRejectedPush.value?.condition, "forged-push");
      await settle();
      const refusal = connection.sent.at(-1);
      assert.equal(refusal?.attrs.type, "error");
      connection.deliver(
        pushOf(item("ann@x", [], { subscription: "remove" }), OWN),
      );
      assert.equal(store.contacts.value.size, 0);
      assert.deepEqual(seen, [["Support"], ["Escalations"], []]);
      stop();
      store[Symbol.dispose]();
    },
  );

  await t.step("subscription verbs send presence to the bare JID", async () => {
    const { connection, store } = await loaded();
    await store.subscribe("Ann@X");
    await store.approve("bob@x");
    await store.deny("cy@x");
    assert.deepEqual(
      connection.sent.map((s) => [s.name, s.attrs.type, s.attrs.to]),
      [
        ["presence", "subscribe", "ann@x"],
        ["presence", "subscribed", "bob@x"],
        ["presence", "unsubscribed", "cy@x"],
      ],
    );
    await assert.rejects(store.subscribe("a@b/c"), ParseError);
    store[Symbol.dispose]();
  });

  await t.step("dispose stops listening", async () => {
    const { connection, store } = await loaded();
    store[Symbol.dispose]();
    connection.deliver(pushOf(item("ann@x", [])));
    await settle();
    assert.equal(store.contacts.value.size, 0);
    // Nobody handles roster pushes any more (RFC 6120 §8.4).
    const reply = connection.sent.at(-1);
    assert.equal(reply?.attrs.type, "error");
    assert.equal(
      reply?.getChild("error")?.getChildElements()[0].name,
      "service-unavailable",
    );
  });
});
