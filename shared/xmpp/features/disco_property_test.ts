// Property tests of service discovery and entity capabilities (XEP-0030
// §3.1, XEP-0115 §5.4, §6.2): any disco#info or ping request anyone sends
// gets exactly one reply, to its sender with its id, that tells only what
// the registry holds; reading a peer's disco#info answer or <c/> never
// throws, keeps the attributes as plain strings, verbatim, and a hash only
// verifies when it is the one XEP-0115 §5.1 computes.
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { createStanzaRouter } from "../router/stanza_router.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyTree,
  hostileText,
  jidText,
  NS,
  stanzaOf,
} from "../../../tests/support/stanza_arbitrary.ts";
import { capsOf, capsVer, createCaps } from "./caps.ts";
import { parseDiscoInfo, serveDiscoInfo, verifyCaps } from "./disco_info.ts";
import { createFeatureRegistry, NS_DISCO_INFO } from "./feature_registry.ts";
import { NS_PING, servePing } from "./ping.ts";

const NODE = "https://desktop-chat.example/caps";

const identity = fc.record({
  category: fc.option(
    fc.oneof(fc.constantFrom("client", "server"), hostileText),
    { freq: 8, nil: undefined },
  ),
  type: fc.option(fc.oneof(fc.constantFrom("web", "pc", "im"), hostileText), {
    freq: 8,
    nil: undefined,
  }),
  name: fc.option(hostileText, { nil: undefined }),
  "xml:lang": fc.option(fc.constantFrom("en", "de", ""), { nil: undefined }),
}).map((attrs) =>
  xml(
    "identity",
    Object.fromEntries(
      Object.entries(attrs).filter(([, v]) => v !== undefined),
    ),
  )
);
const feature = fc.option(
  fc.oneof(
    fc.constantFrom(
      NS_DISCO_INFO,
      NS.caps,
      NS.receipts,
      NS.chatStates,
      NS_PING,
    ),
    hostileText,
  ),
  { freq: 10, nil: undefined },
).map((v) => xml("feature", v === undefined ? {} : { var: v }));

const infoQuery = (node: fc.Arbitrary<string | undefined>) =>
  fc.tuple(
    node,
    fc.array(
      fc.oneof(
        { weight: 2, arbitrary: identity },
        { weight: 4, arbitrary: feature },
        {
          weight: 1,
          arbitrary: fc.constant(xml("x", { xmlns: NS.data, type: "result" })),
        },
        { weight: 1, arbitrary: anyTree },
      ),
      { maxLength: 8 },
    ),
  ).map(([node, children]) =>
    xml(
      "query",
      node === undefined
        ? { xmlns: NS_DISCO_INFO }
        : { xmlns: NS_DISCO_INFO, node },
      ...children,
    )
  );

const peerAnswer: fc.Arbitrary<XmlElement> = fc.oneof(
  {
    weight: 4,
    arbitrary: infoQuery(fc.constant(undefined)).map((q) =>
      xml("iq", { type: "result" }, q)
    ),
  },
  { weight: 1, arbitrary: stanzaOf(anyTree) },
);

Deno.test("parseDiscoInfo and verifyCaps: never throw; plain, verbatim, honest", async () => {
  let parsed = 0;
  await fc.assert(
    fc.asyncProperty(
      peerAnswer,
      fc.record({
        hash: fc.constantFrom("sha-1", "sha-256", "md5", ""),
        node: fc.constant(NODE),
        ver: hostileText,
      }),
      async (answer, announced) => {
        const info = parseDiscoInfo(answer);
        if (info instanceof ParseError) return;
        parsed++;
        assertPlainData(info);
        const query = answer.getChild("query", NS_DISCO_INFO)!;
        assert.deepEqual(
          info.features,
          query.getChildren("feature").map((f) => f.attrs.var),
        );
        assert.deepEqual(
          info.identities.map((i) => i.name),
          query.getChildren("identity").map((i) => i.attrs.name),
        );
        // XEP-0115 §5.4: only the sha-1 of an answer without duplicates or
        // extended forms verifies, and only against its own ver.
        const ver = await capsVer(info);
        const hashable = info.forms === 0 &&
          new Set(info.features).size === info.features.length &&
          new Set(
              info.identities.map((i) =>
                [i.category, i.type, i.lang ?? "", i.name ?? ""].join("/")
              ),
            ).size === info.identities.length;
        assert.equal(
          await verifyCaps({ ...announced, ver }, info),
          announced.hash === "sha-1" && hashable,
        );
        assert.equal(
          await verifyCaps(announced, info),
          announced.hash === "sha-1" && hashable && announced.ver === ver,
        );
      },
    ),
    fuzzRuns(30_0001),
  );
  assert.ok(parsed >= 300, `${parsed} answers parsed`);
});

Deno.test("capsOf: never throws; the <c/> attributes verbatim or nothing", () => {
  fc.assert(
    fc.property(stanzaOf(anyTree, ["presence"]), (presence) => {
      const caps = capsOf(presence);
      if (caps === undefined) return;
      assertPlainData(caps);
      const c = presence.getChild("c", NS.caps)!;
      assert.deepEqual(caps, {
        hash: c.attrs.hash,
        node: c.attrs.node,
        ver: c.attrs.ver,
      });
    }),
    fuzzRuns(30_0002),
  );
});

/** disco#info and ping requests as anyone may send them, and mangled. */
const requestOf = (capsNode: string): fc.Arbitrary<XmlElement> =>
  fc.record({
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constant("get") },
      { weight: 1, arbitrary: fc.constantFrom("set", "result", "error") },
    ),
    from: fc.option(jidText, { nil: undefined }),
    id: fc.option(hostileText, { nil: undefined }),
    payload: fc.oneof(
      {
        weight: 4,
        arbitrary: fc.oneof(
          {
            weight: 4,
            arbitrary: infoQuery(
              fc.option(
                fc.oneof(
                  fc.constant(capsNode),
                  fc.constant(`${NODE}#`),
                  hostileText,
                ),
                { nil: undefined },
              ),
            ),
          },
          {
            weight: 1,
            arbitrary: fc.constant(xml("ping", { xmlns: NS_PING })),
          },
          { weight: 1, arbitrary: anyTree },
        ).map((one) => [one]),
      },
      { weight: 1, arbitrary: fc.array(anyTree, { maxLength: 2 }) },
    ),
  }).map(({ payload, ...attrs }) =>
    xml(
      "iq",
      Object.fromEntries(
        Object.entries(attrs).filter(([, v]) => v !== undefined),
      ),
      ...payload,
    )
  );

Deno.test("disco#info and ping served: one reply each, only what the registry holds", async () => {
  const registry = createFeatureRegistry();
  const caps = createCaps(registry, NODE);
  const failures: unknown[] = [];
  const router = createStanzaRouter({
    onError: (error) => failures.push(error),
  });
  serveDiscoInfo(router, registry, caps);
  servePing(router, registry);
  const ver = await caps.ver();
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(requestOf(`${NODE}#${ver}`), async (iq) => {
      const replies: XmlElement[] = [];
      await router.route(iq, (reply) => {
        replies.push(reply);
        return Promise.resolve();
      });
      assert.deepEqual(failures, [], "no handler threw");
      const type = iq.attrs.type;
      if (type !== "get" && type !== "set") {
        assert.equal(replies.length, 0, "a result or error is never answered");
        return;
      }
      assert.equal(replies.length, 1, "exactly one reply (RFC 6120 §8.2.3)");
      const [reply] = replies;
      assert.equal(reply.attrs.id, iq.attrs.id);
      assert.equal(reply.attrs.to, iq.attrs.from);
      if (reply.attrs.type === "error") return;
      answered++;
      const query = reply.getChild("query", NS_DISCO_INFO);
      if (query === undefined) return;
      const node = iq.getChild("query", NS_DISCO_INFO)?.attrs.node;
      assert.ok(node === undefined || node === `${NODE}#${ver}`);
      assert.equal(query.attrs.node, node);
      assert.deepEqual(
        query.getChildren("feature").map((f) => f.attrs.var),
        registry.info.peek().features,
      );
    }),
    fuzzRuns(30_0003),
  );
  assert.ok(answered >= 200, `${answered} requests answered`);
});
