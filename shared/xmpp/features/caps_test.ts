import assert from "node:assert/strict";
import { xml } from "@xmpp/xml";
import {
  capsOf,
  capsString,
  capsVer,
  compareOctets,
  createCaps,
} from "./caps.ts";
import { createFeatureRegistry, NS_CAPS } from "./feature_registry.ts";

// XEP-0115 §5.2, the simple example.
const EXODUS = {
  identities: [{ category: "client", type: "pc", name: "Exodus 0.9.1" }],
  features: [
    "http://jabber.org/protocol/muc",
    "http://jabber.org/protocol/disco#info",
    "http://jabber.org/protocol/caps",
    "http://jabber.org/protocol/disco#items",
  ],
};

Deno.test("XEP-0115 §5.2: the verification string and its hash", async () => {
  assert.equal(
    capsString(EXODUS),
    "client/pc//Exodus 0.9.1<" +
      "http://jabber.org/protocol/caps<" +
      "http://jabber.org/protocol/disco#info<" +
      "http://jabber.org/protocol/disco#items<" +
      "http://jabber.org/protocol/muc<",
  );
  assert.equal(await capsVer(EXODUS), "QgayPKawpkPSDYmwT/WM94uAlu0=");
});

Deno.test("XEP-0115 §5.1: identities by category, type, then xml:lang", () => {
  // The identities of the §5.3 example (its forms aside).
  const s = capsString({
    identities: [
      { category: "client", type: "pc", lang: "el", name: "Ψ 0.11" },
      { category: "client", type: "pc", lang: "en", name: "Psi 0.11" },
    ].reverse(),
    features: [],
  });
  assert.equal(s, "client/pc/el/Ψ 0.11<client/pc/en/Psi 0.11<");
});

Deno.test("i;octet order is UTF-8 byte order, not UTF-16", () => {
  // UTF-8 of U+FF5E is EF BD 9E, of U+1F600 F0 9F 98 80: U+FF5E first.
  // In UTF-16, U+1F600 (surrogate D83D) comes before U+FF5E.
  const bmp = "\uFF5E";
  const astral = "\u{1F600}";
  assert.ok(bmp > astral);
  assert.ok(compareOctets(bmp, astral) < 0);
  assert.equal(compareOctets("a", "a"), 0);
  assert.ok(compareOctets("a", "ab") < 0);
});

Deno.test("caps follow the registry, one hash per change", async () => {
  const registry = createFeatureRegistry();
  const caps = createCaps(registry, "urn:example:node");
  const before = await caps.ver();
  assert.equal(caps.ver(), caps.ver());
  const remove = registry.addFeatures("urn:xmpp:ping");
  const after = await caps.ver();
  assert.notEqual(after, before);
  assert.equal(after, await capsVer(registry.info.value));
  remove();
  assert.equal(await caps.ver(), before);

  const c = await caps.element();
  assert.equal(c.attrs.xmlns, NS_CAPS);
  assert.deepEqual(capsOf(xml("presence", {}, c)), {
    hash: "sha-1",
    node: "urn:example:node",
    ver: before,
  });
  assert.equal(capsOf(xml("presence")), undefined);
});
