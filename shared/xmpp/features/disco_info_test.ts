import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { createStanzaRouter } from "../router/stanza_router.ts";
import { capsOf, createCaps } from "./caps.ts";
import { parseDiscoInfo, serveDiscoInfo, verifyCaps } from "./disco_info.ts";
import {
  createFeatureRegistry,
  DESKTOP_CHAT_IDENTITY,
  NS_CAPS,
  NS_DISCO_INFO,
} from "./feature_registry.ts";
import { NS_PING, servePing } from "./ping.ts";

function discoGet(node?: string): XmlElement {
  return xml(
    "iq",
    { type: "get", id: "d1", from: "peer@example.com/x" },
    xml(
      "query",
      node === undefined
        ? { xmlns: NS_DISCO_INFO }
        : { xmlns: NS_DISCO_INFO, node },
    ),
  );
}

function setup() {
  const router = createStanzaRouter();
  const registry = createFeatureRegistry();
  const caps = createCaps(registry, "urn:example:node");
  const stop = [
    serveDiscoInfo(router, registry, caps),
    servePing(router, registry),
  ];
  async function ask(stanza: XmlElement): Promise<XmlElement> {
    const replies: XmlElement[] = [];
    await router.route(stanza, (reply) => {
      replies.push(reply);
      return Promise.resolve();
    });
    assert.equal(replies.length, 1);
    return replies[0];
  }
  return { router, registry, caps, ask, stop: () => stop.forEach((f) => f()) };
}

Deno.test("disco#info responder", async (t) => {
  await t.step(
    "XEP-0030 §3.1: identity and the registered features",
    async () => {
      const { ask } = setup();
      const reply = await ask(discoGet());
      assert.equal(reply.attrs.type, "result");
      assert.equal(reply.attrs.to, "peer@example.com/x");
      const info = parseDiscoInfo(reply);
      assert.ok(!(info instanceof ParseError));
      assert.deepEqual(info.identities, [DESKTOP_CHAT_IDENTITY]);
      assert.deepEqual(
        [...info.features].sort(),
        [NS_CAPS, NS_DISCO_INFO, NS_PING].sort(),
      );
    },
  );

  await t.step(
    "XEP-0115 §6.2: the caps node#ver answers the same, and verifies",
    async () => {
      const { ask, caps } = setup();
      const node = `urn:example:node#${await caps.ver()}`;
      const reply = await ask(discoGet(node));
      assert.equal(reply.getChild("query", NS_DISCO_INFO)?.attrs.node, node);
      const info = parseDiscoInfo(reply);
      assert.ok(!(info instanceof ParseError));
      const announced = capsOf(xml("presence", {}, await caps.element()));
      assert.ok(announced);
      assert.equal(await verifyCaps(announced, info), true);
      assert.equal(
        await verifyCaps({ ...announced, ver: "AAAA" }, info),
        false,
      );
      assert.equal(
        await verifyCaps(announced, {
          ...info,
          features: [...info.features, NS_PING],
        }),
        false,
        "duplicate features are invalid (§5.4)",
      );
    },
  );

  await t.step("an unknown node is item-not-found", async () => {
    const { ask } = setup();
    for (const node of ["urn:example:node#stale", "other"]) {
      const reply = await ask(discoGet(node));
      assert.equal(reply.attrs.type, "error");
      assert.equal(
        reply.getChild("error")?.getChildElements()[0].name,
        "item-not-found",
      );
    }
  });

  await t.step(
    "XEP-0199: a ping is answered with an empty result",
    async () => {
      const { ask } = setup();
      const reply = await ask(
        xml("iq", { type: "get", id: "p" }, xml("ping", { xmlns: NS_PING })),
      );
      assert.equal(reply.attrs.type, "result");
      assert.equal(reply.children.length, 0);
    },
  );

  await t.step(
    "disposed features leave the registry and the router",
    async () => {
      const { ask, registry, stop } = setup();
      stop();
      assert.deepEqual(registry.info.value.features, []);
      const reply = await ask(discoGet());
      assert.equal(
        reply.getChild("error")?.getChildElements()[0].name,
        "service-unavailable",
      );
    },
  );
});

Deno.test("parseDiscoInfo refuses what it cannot read", () => {
  assert.ok(
    parseDiscoInfo(xml("iq", { type: "result" })) instanceof ParseError,
  );
  const noVar = xml(
    "iq",
    {},
    xml("query", { xmlns: NS_DISCO_INFO }, xml("feature")),
  );
  assert.ok(parseDiscoInfo(noVar) instanceof ParseError);
  const noType = xml(
    "iq",
    {},
    xml(
      "query",
      { xmlns: NS_DISCO_INFO },
      xml("identity", { category: "client" }),
    ),
  );
  assert.ok(parseDiscoInfo(noType) instanceof ParseError);
});

Deno.test("the registry counts shared namespaces", () => {
  const registry = createFeatureRegistry();
  const a = registry.addFeatures("urn:a", "urn:b");
  const b = registry.addFeatures("urn:b");
  a();
  a();
  assert.deepEqual(registry.info.value.features, ["urn:b"]);
  b();
  assert.deepEqual(registry.info.value.features, []);
  const removeIdentity = registry.addIdentity({
    category: "client",
    type: "pc",
  });
  assert.equal(registry.info.value.identities.length, 2);
  removeIdentity();
  assert.deepEqual(registry.info.value.identities, [DESKTOP_CHAT_IDENTITY]);
});
