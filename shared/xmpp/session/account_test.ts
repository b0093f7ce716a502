// The account driven through scripted connections: what it composes, and
// that a new connection keeps its stores. Real servers:
// tests/integration/disco_caps_test.ts.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import type { XmlElement } from "../core/connection.ts";
import { TransportError } from "../core/errors.ts";
import { capsOf } from "../features/caps.ts";
import { NS_DISCO_INFO } from "../features/feature_registry.ts";
import { NS_ROSTER } from "../roster/roster_parser.ts";
import { createAccount } from "./account.ts";
import { HEADLESS } from "../../../tests/support/account_options.ts";

const OWN = "agent@example.com";

function rosterResult(...jids: string[]): XmlElement {
  return xml(
    "query",
    { xmlns: NS_ROSTER },
    ...jids.map((jid) => xml("item", { jid, subscription: "both" })),
  );
}

/** Answers the roster get the account sends, then lets presence go out. */
async function answerRoster(wire: FakeConnection, ...jids: string[]) {
  await settle();
  const [get] = wire.takeIqs();
  assert.equal(get.request.getChild("query", NS_ROSTER) !== undefined, true);
  get.result(rosterResult(...jids));
}

Deno.test("account", async (t) => {
  await t.step("sync: roster first, then presence with caps", async () => {
    const wire = new FakeConnection(OWN);
    using account = createAccount(wire, {
      service: "http://a/http-bind",
      ...HEADLESS,
    });
    const syncing = account.sync();
    assert.equal(wire.sent.length, 0, "no presence before the roster");
    await answerRoster(wire, "ann@example.com");
    await syncing;
    assert.equal(account.jid, OWN);
    assert.equal(account.roster.status.value, "ready");
    const presence = wire.sent.at(-1);
    assert.equal(presence?.name, "presence");
    assert.equal(capsOf(presence!)?.ver, await account.caps.ver());
  });

  await t.step("answers disco#info and ping through its router", async () => {
    const wire = new FakeConnection(OWN);
    using account = createAccount(wire, { service: "s", ...HEADLESS });
    wire.deliver(
      xml(
        "iq",
        { type: "get", id: "d", from: "bob@example.com/x" },
        xml("query", {
          xmlns: NS_DISCO_INFO,
        }),
      ),
    );
    wire.deliver(
      xml(
        "iq",
        { type: "get", id: "u" },
        xml("query", { xmlns: "urn:nobody" }),
      ),
    );
    await settle();
    const byId = new Map(wire.sent.map((s) => [s.attrs.id, s]));
    const features = byId.get("d")?.getChild("query", NS_DISCO_INFO)
      ?.getChildren("feature").map((f) => f.attrs.var);
    assert.deepEqual(features, account.features.info.value.features);
    assert.ok(features?.includes("urn:xmpp:ping"));
    assert.equal(byId.get("u")?.attrs.type, "error");
  });

  await t.step(
    "attach: same stores, the roster fetched and presence sent again",
    async () => {
      const first = new FakeConnection(OWN);
      using account = createAccount(first, {
        service: "http://a/http-bind",
        ...HEADLESS,
      });
      const syncing = account.sync();
      await answerRoster(first, "ann@example.com");
      await syncing;
      await account.presence.setPresence("dnd", "On a call");
      const contacts = account.roster.contacts;
      const roster = account.roster;
      first.deliver(xml("presence", { from: "ann@example.com/desk" }));
      await settle();
      const ann = account.presence.presenceOf("ann@example.com");
      assert.equal(ann.value.availability, "available");

      first.lose(["m1"]);
      await assert.rejects(
        account.presence.setPresence("away"),
        TransportError,
      );

      const second = new FakeConnection(OWN);
      const attaching = account.attach(second, "http://b/http-bind");
      await answerRoster(second, "ann@example.com", "bob@example.com");
      await attaching;
      assert.equal(account.roster, roster);
      assert.equal(account.roster.contacts, contacts, "the same signal");
      assert.deepEqual([...contacts.value.keys()], [
        "ann@example.com",
        "bob@example.com",
      ]);
      assert.equal(account.service, "http://b/http-bind");
      // RFC 6121 §4.4: presence belongs to the stream it came on; the new
      // stream's server tells what is true now (§4.2.2).
      assert.equal(ann.value.availability, "offline", "the same signal, reset");
      const presence = second.sent.at(-1);
      assert.equal(presence?.getChildText("show"), "dnd");
      assert.equal(presence?.getChildText("status"), "On a call");

      // Pushes now come in, and are answered, on the new stream only.
      second.deliver(
        xml("iq", { type: "set", id: "push" }, rosterResult("cy@example.com")),
      );
      await settle();
      assert.ok(contacts.value.has("cy@example.com"));
      assert.equal(second.sent.at(-1)?.attrs.id, "push");
      assert.equal(first.listenerCount, 0);
    },
  );

  await t.step("a new feature is announced with a new presence", async () => {
    const wire = new FakeConnection(OWN);
    using account = createAccount(wire, { service: "s", ...HEADLESS });
    const syncing = account.sync();
    await answerRoster(wire);
    await syncing;
    const before = capsOf(wire.sent.at(-1)!)?.ver;
    account.features.addFeatures("urn:example:new-feature");
    await settle();
    const after = capsOf(wire.sent.at(-1)!)?.ver;
    assert.ok(after !== undefined && after !== before);
  });

  await t.step(
    "chats: receipts, chat states and carbons advertised; carbons asked at sync, a refusal harmless",
    async () => {
      const wire = new FakeConnection(OWN);
      using account = createAccount(wire, { service: "s", ...HEADLESS });
      const features = account.features.info.value.features;
      for (
        const ns of [
          "urn:xmpp:receipts",
          "http://jabber.org/protocol/chatstates",
          "urn:xmpp:carbons:2",
        ]
      ) assert.ok(features.includes(ns), ns);
      const syncing = account.sync();
      const [get, carbons] = wire.takeIqs();
      assert.ok(get.request.getChild("query", NS_ROSTER));
      assert.equal(carbons.request.attrs.type, "set");
      assert.ok(carbons.request.getChild("enable", "urn:xmpp:carbons:2"));
      carbons.error("service-unavailable");
      get.result(rosterResult());
      await syncing;
      assert.equal(
        wire.sent.at(-1)?.name,
        "presence",
        "signed in all the same",
      );
      account.chats.openChat("bob@example.com");
      assert.deepEqual(account.chats.open.value, ["bob@example.com"]);
    },
  );

  await t.step(
    "history: kept per account on dispose, wiped by wipeHistory",
    () => {
      const items = new Map<string, string>();
      const history = {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => void items.set(key, value),
        removeItem: (key: string) => void items.delete(key),
      };
      const first = createAccount(new FakeConnection(OWN), {
        service: "s",
        history,
        ...HEADLESS,
      });
      first.chats.openChat("bob@example.com");
      first[Symbol.dispose]();
      assert.equal(items.size, 1, "written when the account goes");
      const again = createAccount(new FakeConnection(OWN), {
        service: "s",
        history,
        ...HEADLESS,
      });
      assert.deepEqual(again.chats.open.value, ["bob@example.com"]);
      again.wipeHistory();
      again[Symbol.dispose]();
      assert.equal(items.size, 0);
    },
  );

  await t.step("dispose: nothing handled, nothing listening", async () => {
    const wire = new FakeConnection(OWN);
    const account = createAccount(wire, { service: "s", ...HEADLESS });
    account[Symbol.dispose]();
    assert.equal(wire.listenerCount, 0);
    await assert.rejects(
      account.connection.send(xml("presence")),
      TransportError,
    );
  });
});
