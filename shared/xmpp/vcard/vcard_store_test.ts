// The vCard store through a scripted connection: asked once per bare JID,
// answers become names, errors become no name, timeouts are asked again.
import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  FakeConnection,
  settle,
} from "../../../tests/support/fake_connection.ts";
import { routeConnection } from "../router/routed_connection.ts";
import { NS_VCARD } from "./vcard_parser.ts";
import { createVcardStore } from "./vcard_store.ts";

const OWN = "agent@example.com";

function card(fn?: string, nickname?: string) {
  return xml(
    "vCard",
    { xmlns: NS_VCARD },
    ...(fn === undefined ? [] : [xml("FN", {}, fn)]),
    ...(nickname === undefined ? [] : [xml("NICKNAME", {}, nickname)]),
  );
}

function setup(concurrency?: number) {
  const wire = new FakeConnection(OWN);
  const routed = routeConnection(wire);
  const store = createVcardStore(routed, { timeoutMs: 500, concurrency });
  return { wire, store };
}

Deno.test("vcard store", async (t) => {
  await t.step("asks once per bare JID; FN becomes the name", async () => {
    const { wire, store } = setup();
    const name = store.nameOf("ann@example.com");
    assert.equal(store.nameOf("ann@example.com"), name, "the same signal");
    assert.equal(name.value, undefined, "unknown until answered");
    const [ask, ...more] = wire.takeIqs();
    assert.equal(more.length, 0, "one request for two asks");
    assert.equal(ask.request.attrs.to, "ann@example.com");
    assert.equal(ask.timeoutMs, 500);
    assert.ok(ask.request.getChild("vCard", NS_VCARD));
    ask.result(card("Ann Lee", "annie"));
    await settle();
    assert.equal(name.value, "Ann Lee");
    store.nameOf("ann@example.com");
    assert.equal(wire.takeIqs().length, 0, "cached");
  });

  await t.step(
    "known: the names answered so far, asking for none",
    async () => {
      const { wire, store } = setup();
      assert.deepEqual([...store.known.value], []);
      assert.equal(wire.takeIqs().length, 0, "reading known asks nothing");
      store.nameOf("ann@example.com");
      store.nameOf("bo@example.com");
      const [ann, bo] = wire.takeIqs();
      ann.result(card("Ann Lee"));
      bo.result(card());
      await settle();
      assert.deepEqual([...store.known.value], [[
        "ann@example.com",
        "Ann Lee",
      ]]);
    },
  );

  await t.step("the own vCard is asked without `to`", async () => {
    const { wire, store } = setup();
    const name = store.nameOf(OWN);
    const [ask] = wire.takeIqs();
    assert.equal(ask.request.attrs.to, undefined);
    ask.result(card(undefined, "agent-nick"));
    await settle();
    assert.equal(name.value, "agent-nick", "NICKNAME without FN");
  });

  await t.step(
    "item-not-found and service-unavailable: no name, not asked again",
    async () => {
      const { wire, store } = setup();
      const a = store.nameOf("a@example.com");
      const b = store.nameOf("b@example.com");
      const [first, second] = wire.takeIqs();
      first.error("item-not-found");
      second.error("service-unavailable");
      await settle();
      assert.equal(a.value, undefined);
      assert.equal(b.value, undefined);
      store.nameOf("a@example.com");
      store.nameOf("b@example.com");
      assert.equal(wire.takeIqs().length, 0);
    },
  );

  await t.step("an unreadable answer is no name", async () => {
    const { wire, store } = setup();
    const name = store.nameOf("c@example.com");
    wire.takeIqs()[0].result(xml("query", { xmlns: "urn:other" }));
    await settle();
    assert.equal(name.value, undefined);
    store.nameOf("c@example.com");
    assert.equal(wire.takeIqs().length, 0);
  });

  await t.step("a timeout is asked again on the next ask", async () => {
    const { wire, store } = setup();
    const name = store.nameOf("d@example.com");
    wire.takeIqs()[0].timeout();
    await settle();
    assert.equal(name.value, undefined);
    assert.equal(store.nameOf("d@example.com"), name);
    const [again] = wire.takeIqs();
    again.result(card("Dee"));
    await settle();
    assert.equal(name.value, "Dee");
  });

  await t.step("at most `concurrency` requests in flight", async () => {
    const { wire, store } = setup(2);
    const names = ["p", "q", "r"].map((n) => store.nameOf(`${n}@example.com`));
    const first = wire.takeIqs();
    assert.equal(first.length, 2);
    first[0].result(card("P"));
    await settle();
    const [third] = wire.takeIqs();
    assert.equal(third.request.attrs.to, "r@example.com");
    first[1].result(card("Q"));
    third.result(card("R"));
    await settle();
    assert.deepEqual(names.map((n) => n.value), ["P", "Q", "R"]);
  });

  await t.step("not a bare JID: no request, no name", () => {
    const { wire, store } = setup();
    for (const bad of ["", "a@b/res", "@x", "a@@b"]) {
      assert.equal(store.nameOf(bad).value, undefined);
    }
    assert.equal(wire.takeIqs().length, 0);
  });

  await t.step(
    "after dispose: nothing asked, late answers dropped",
    async () => {
      const { wire, store } = setup();
      const name = store.nameOf("e@example.com");
      const [late] = wire.takeIqs();
      store[Symbol.dispose]();
      late.result(card("Late"));
      await settle();
      assert.equal(name.value, undefined);
      store.nameOf("f@example.com");
      assert.equal(wire.takeIqs().length, 0);
    },
  );
});
