// Property test of the stores that ask the server and read its answers
// (the directory search, XEP-0055 with its XEP-0030 discovery; the vCard
// names, XEP-0054): whatever the server answers to each request (a result
// of any shape, an error, no answer), a search ends in entries or a typed
// XmppError, never an untyped throw, and what reaches the views is plain
// data: unique bare JIDs, cleaned names.
import assert from "node:assert/strict";
import fc from "fast-check";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { XmppError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import { routeConnection } from "../router/routed_connection.ts";
import { createVcardStore } from "../vcard/vcard_store.ts";
import { NS_VCARD } from "../vcard/vcard_parser.ts";
import { FakeConnection } from "../../../tests/support/fake_connection.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyTree,
  hostileText,
  hugeText,
  JIDS,
  jidText,
  OWN_JID,
} from "../../../tests/support/stanza_arbitrary.ts";
import { NS_DATA } from "./data_form.ts";
import { createDirectorySearch } from "./directory_search.ts";
import { NS_DISCO_INFO, NS_DISCO_ITEMS } from "./search_discovery.ts";
import { NS_SEARCH } from "./search_legacy.ts";

const text = fc.oneof(
  { weight: 8, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
);
const serviceJid = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom("search.example.com", "vjud.example.com"),
  },
  { weight: 1, arbitrary: jidText },
);

/** Answers of the shapes the search asks for, and anything else. */
const payload: fc.Arbitrary<XmlElement | undefined> = fc.oneof(
  fc.array(serviceJid, { maxLength: 4 }).map((jids) =>
    xml(
      "query",
      { xmlns: NS_DISCO_ITEMS },
      ...jids.map((jid) => xml("item", { jid })),
    )
  ),
  fc.array(
    fc.oneof(
      fc.constantFrom(NS_SEARCH, NS_DATA, "urn:other"),
      hostileText,
    ),
    { maxLength: 3 },
  ).map((features) =>
    xml(
      "query",
      { xmlns: NS_DISCO_INFO },
      xml("identity", { category: "directory", type: "user" }),
      ...features.map((f) => xml("feature", { var: f })),
    )
  ),
  fc.subarray(["first", "last", "nick", "email"]).map((fields) =>
    xml(
      "query",
      { xmlns: NS_SEARCH },
      xml("instructions", {}, "Fill in"),
      ...fields.map((f) => xml(f)),
    )
  ),
  fc.array(
    fc.tuple(jidText, text, text).map(([jid, first, nick]) =>
      xml("item", { jid }, xml("first", {}, first), xml("nick", {}, nick))
    ),
    { maxLength: 6 },
  ).map((items) => xml("query", { xmlns: NS_SEARCH }, ...items)),
  fc.array(
    fc.tuple(jidText, text).map(([jid, fn]) =>
      xml(
        "item",
        {},
        xml("field", { var: "jid" }, xml("value", {}, jid)),
        xml("field", { var: "fn" }, xml("value", {}, fn)),
      )
    ),
    { maxLength: 6 },
  ).map((items) =>
    xml(
      "query",
      { xmlns: NS_SEARCH },
      xml(
        "x",
        { xmlns: NS_DATA, type: "result" },
        xml(
          "field",
          { var: "FORM_TYPE", type: "hidden" },
          xml("value", {}, NS_SEARCH),
        ),
        ...items,
      ),
    )
  ),
  fc.tuple(text, text).map(([fn, nick]) =>
    xml(
      "vCard",
      { xmlns: NS_VCARD },
      xml("FN", {}, fn),
      xml("NICKNAME", {}, nick),
    )
  ),
  anyTree,
  fc.constant(undefined),
);

/** The server's side of one run: what a fitting answer to each ask holds. */
const world = fc.record({
  services: fc.array(serviceJid, { maxLength: 3 }),
  features: fc.array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(NS_SEARCH, NS_DATA) },
      { weight: 1, arbitrary: hostileText },
    ),
    { maxLength: 3 },
  ),
  fields: fc.subarray(["first", "last", "nick", "email"]),
  dataForm: fc.boolean(),
  found: fc.array(fc.tuple(jidText, text, text), { maxLength: 6 }),
  vcard: fc.tuple(text, text),
});
type World = typeof world extends fc.Arbitrary<infer T> ? T : never;

function fitting(world: World, request: XmlElement): XmlElement | undefined {
  const query = request.getChildElements()[0];
  const ns = query?.attrs.xmlns;
  if (ns === NS_DISCO_ITEMS) {
    return xml(
      "query",
      { xmlns: ns },
      ...world.services.map((jid) => xml("item", { jid })),
    );
  }
  if (ns === NS_DISCO_INFO) {
    return xml(
      "query",
      { xmlns: ns },
      xml("identity", { category: "directory", type: "user" }),
      ...world.features.map((f) => xml("feature", { var: f })),
    );
  }
  if (ns === NS_VCARD) {
    const [fn, nick] = world.vcard;
    return xml(
      "vCard",
      { xmlns: ns },
      xml("FN", {}, fn),
      xml("NICKNAME", {}, nick),
    );
  }
  if (ns !== NS_SEARCH) return undefined;
  const formType = xml(
    "field",
    { var: "FORM_TYPE", type: "hidden" },
    xml("value", {}, NS_SEARCH),
  );
  if (request.attrs.type === "get") {
    return world.dataForm
      ? xml(
        "query",
        { xmlns: ns },
        xml(
          "x",
          { xmlns: NS_DATA, type: "form" },
          formType,
          ...world.fields.map((f) =>
            xml("field", { var: f, type: "text-single" })
          ),
        ),
      )
      : xml(
        "query",
        { xmlns: ns },
        xml("instructions", {}, "Fill in"),
        ...world.fields.map((f) => xml(f)),
      );
  }
  if (!world.dataForm) {
    return xml(
      "query",
      { xmlns: ns },
      ...world.found.map(([jid, first, nick]) =>
        xml("item", { jid }, xml("first", {}, first), xml("nick", {}, nick))
      ),
    );
  }
  return xml(
    "query",
    { xmlns: ns },
    xml(
      "x",
      { xmlns: NS_DATA, type: "result" },
      formType,
      ...world.found.map(([jid, fn]) =>
        xml(
          "item",
          {},
          xml("field", { var: "jid" }, xml("value", {}, jid)),
          xml("field", { var: "fn" }, xml("value", {}, fn)),
        )
      ),
    ),
  );
}

type Reply =
  | { readonly kind: "fit" }
  | { readonly kind: "result"; readonly payload: XmlElement | undefined }
  | { readonly kind: "error"; readonly condition: string }
  | { readonly kind: "timeout" };

const reply: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "fit" as const }) },
  {
    weight: 2,
    arbitrary: payload.map((p) => ({ kind: "result" as const, payload: p })),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.constantFrom(
        "service-unavailable",
        "item-not-found",
        "feature-not-implemented",
      ),
      hostileText,
    ).map((condition) => ({ kind: "error" as const, condition })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: "timeout" as const }) },
);

/** Lets the stores read an answer and ask again: they wait on no timer. */
async function flush(): Promise<void> {
  for (let hop = 0; hop < 100; hop++) await Promise.resolve();
}

/** Answers whatever the stores ask, in order, until they stop asking. */
async function answerAll(
  wire: FakeConnection,
  server: World,
  replies: readonly Reply[],
): Promise<void> {
  let next = 0;
  for (let round = 0; round < 12; round++) {
    await flush();
    const asked = wire.takeIqs();
    if (asked.length === 0) return;
    for (const iq of asked) {
      const one = replies[next++ % replies.length];
      if (one.kind === "fit") iq.result(fitting(server, iq.request));
      else if (one.kind === "result") iq.result(one.payload);
      else if (one.kind === "error") iq.error(one.condition);
      else iq.timeout();
    }
  }
}

Deno.test("directory search and vCards: any answers end in data or a typed error", async () => {
  let found = 0;
  await fc.assert(
    fc.asyncProperty(
      world,
      fc.array(reply, { minLength: 1, maxLength: 10 }),
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom("Smi", "bob", "  Ann  ") },
        { weight: 1, arbitrary: hostileText },
      ),
      async (server, replies, term) => {
        const wire = new FakeConnection(OWN_JID);
        using routed = routeConnection(wire);
        const directory = createDirectorySearch(routed, { timeoutMs: 50 });
        using vcards = createVcardStore(routed, { timeoutMs: 50 });
        const names = JIDS.slice(0, 6).map((jid) => vcards.nameOf(jid));
        const outcome = directory.search(term).then(
          (entries) => ({ entries }),
          (error: unknown) => ({ error }),
        );
        await answerAll(wire, server, replies);
        const result = await outcome;
        if ("error" in result) {
          assert.ok(result.error instanceof XmppError, String(result.error));
          assert.equal(typeof result.error.message, "string");
        } else {
          found += result.entries.length;
          assertPlainData(result.entries);
          const jids = result.entries.map((e) => e.jid);
          assert.equal(new Set(jids).size, jids.length, "one entry per JID");
          for (const jid of jids) assert.equal(parseBareJid(jid), jid);
        }
        for (const name of names) {
          assert.ok(
            name.value === undefined ||
              (typeof name.value === "string" && name.value !== ""),
          );
        }
        assertPlainData(vcards.known.value);
      },
    ),
    fuzzRuns(55_0100),
  );
  assert.ok(found >= 100, `${found} entries found`);
});
