// The XEP-0004 parser on literal forms, and a property test: whatever
// element arrives, it returns a form or a ParseError, never throws, never
// changes its input and keeps its bounds.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  DATA_FORM_LIMITS,
  NS_DATA,
  parseDataForm,
  submitForm,
} from "./data_form.ts";

function field(attrs: Record<string, string>, ...values: string[]) {
  return xml("field", attrs, ...values.map((v) => xml("value", {}, v)));
}

Deno.test("data form: a search form to fill", () => {
  const form = parseDataForm(
    xml(
      "x",
      { xmlns: NS_DATA, type: "form" },
      xml("title", {}, "Search users"),
      field({ var: "FORM_TYPE", type: "hidden" }, "jabber:iq:search"),
      field({ var: "user", type: "text-single", label: "User" }),
      field({ var: "first" }),
      field({ var: "first", type: "boolean" }),
      field({ type: "text-single" }),
      field({ var: "ctry", type: "list-single" }, "a", "b"),
    ),
  );
  assert.ok(!(form instanceof ParseError));
  assert.equal(form.type, "form");
  assert.equal(form.formType, "jabber:iq:search");
  assert.deepEqual(form.fields.map((f) => [f.var, f.type, f.values]), [
    ["FORM_TYPE", "hidden", ["jabber:iq:search"]],
    ["user", "text-single", []],
    // XEP-0004 §3.2: no type means text-single; a repeated var is ignored.
    ["first", "text-single", []],
    ["ctry", "list-single", ["a", "b"]],
  ]);
  assert.equal(form.fields[1].label, "User");
  assert.deepEqual(form.items, []);
});

Deno.test("data form: a result with reported columns and items", () => {
  const form = parseDataForm(
    xml(
      "x",
      { xmlns: NS_DATA, type: "result" },
      xml("reported", {}, field({ var: "jid" }), field({ var: "fn" })),
      xml("item", {}, field({ var: "jid" }, "a@x"), field({ var: "fn" }, "A")),
      xml("item", {}, field({ var: "jid" }, "b@x"), field({ var: "fn" })),
    ),
  );
  assert.ok(!(form instanceof ParseError));
  assert.deepEqual(form.reported.map((f) => f.var), ["jid", "fn"]);
  assert.deepEqual(form.items.map((item) => Object.fromEntries(item)), [
    { jid: ["a@x"], fn: ["A"] },
    { jid: ["b@x"], fn: [] },
  ]);
});

Deno.test("data form: what is not a form is a ParseError", () => {
  for (
    const element of [
      undefined,
      xml("x", { xmlns: "jabber:x:oob", type: "form" }),
      xml("x", { xmlns: NS_DATA }),
      xml("x", { xmlns: NS_DATA, type: "bogus" }),
      xml("query", { xmlns: NS_DATA, type: "form" }),
    ]
  ) {
    assert.ok(parseDataForm(element) instanceof ParseError);
  }
});

Deno.test("data form: a submission with FORM_TYPE first", () => {
  assert.equal(
    submitForm(new Map([["nick", "a<b"]]), "jabber:iq:search").toString(),
    `<x xmlns="${NS_DATA}" type="submit">` +
      `<field var="FORM_TYPE" type="hidden"><value>jabber:iq:search</value></field>` +
      `<field var="nick"><value>a&lt;b</value></field></x>`,
  );
  assert.equal(
    submitForm(new Map([["fn", "x"]])).toString(),
    `<x xmlns="${NS_DATA}" type="submit"><field var="fn"><value>x</value></field></x>`,
  );
});

// Names and values a hostile or broken service could send; the form's own
// vocabulary is likely so the generator reaches deep into the parser.
const names = fc.constantFrom(
  "x",
  "field",
  "value",
  "reported",
  "item",
  "title",
  "option",
  "bogus",
);
const text = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom("", "form", "result", "FORM_TYPE", "jid"),
  },
  { weight: 10, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 1_025, maxLength: 1_100 }) },
);
const attrs = fc.dictionary(
  fc.constantFrom("var", "type", "label", "xmlns", "other"),
  text,
  { maxKeys: 4 },
);
const { tree } = fc.letrec<{ tree: XmlElement; node: XmlElement | string }>(
  (tie) => ({
    tree: fc.tuple(
      names,
      attrs,
      fc.array(tie("node"), { maxLength: 5 }),
    ).map(([name, a, children]) => xml(name, a, ...children)),
    node: fc.oneof(
      { depthSize: "small", maxDepth: 3, withCrossShrink: true },
      text,
      tie("tree"),
    ),
  }),
);
const form = fc.tuple(
  fc.constantFrom("form", "result", "submit", "cancel", "nope"),
  // Past DATA_FORM_LIMITS.fields at times, so the bounds are exercised.
  fc.array(tree, { maxLength: 80 }),
).map(([type, children]) => xml("x", { xmlns: NS_DATA, type }, ...children));

Deno.test("data form: never throws, never changes its input, stays bounded", () => {
  fc.assert(
    fc.property(fc.oneof(form, tree), (element) => {
      const before = element.toString();
      const parsed = parseDataForm(element);
      assert.equal(element.toString(), before);
      if (parsed instanceof ParseError) return;
      assert.deepEqual(parseDataForm(element), parsed);
      assert.ok(parsed.fields.length <= DATA_FORM_LIMITS.fields);
      assert.ok(parsed.items.length <= DATA_FORM_LIMITS.items);
      for (const f of [...parsed.fields, ...parsed.reported]) {
        assert.ok(f.var.length <= DATA_FORM_LIMITS.varLength);
        assert.ok(f.values.length <= DATA_FORM_LIMITS.valuesPerField);
        assert.ok(
          f.values.every((v) => v.length <= DATA_FORM_LIMITS.valueLength),
        );
      }
    }),
    fuzzRuns(55_0004),
  );
});

Deno.test("data form: a huge form is cut to its bounds", () => {
  const parsed = parseDataForm(
    xml(
      "x",
      { xmlns: NS_DATA, type: "result" },
      ...Array.from(
        { length: 100 },
        (_, i) => field({ var: `f${i}` }, ...Array(30).fill("v".repeat(5_000))),
      ),
      ...Array.from(
        { length: 300 },
        (_, i) => xml("item", {}, field({ var: "jid" }, `u${i}@x`)),
      ),
    ),
  );
  assert.ok(!(parsed instanceof ParseError));
  assert.equal(parsed.fields.length, DATA_FORM_LIMITS.fields);
  assert.equal(parsed.items.length, DATA_FORM_LIMITS.items);
  assert.equal(parsed.fields[0].values.length, DATA_FORM_LIMITS.valuesPerField);
  assert.equal(parsed.fields[0].values[0].length, DATA_FORM_LIMITS.valueLength);
});
