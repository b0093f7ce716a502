// Property tests of the directory's wire readers: whatever a service sends
// as a search form or result (legacy items, data forms, garbage), they
// return data or a ParseError, never throw, never change their input, and
// keep their bounds.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { NS_DATA } from "./data_form.ts";
import { DIRECTORY_LIMITS } from "./directory_entries.ts";
import { parseFormResult, parseFormSearch } from "./search_form.ts";
import { NS_SEARCH, parseSearchForm } from "./search_legacy.ts";

const text = fc.oneof(
  fc.constantFrom("", "jid", "a@b", "first", "last", "nick", "fn", "x@y/z"),
  fc.string({ maxLength: 30 }),
);
const field = fc.tuple(text, fc.array(text, { maxLength: 3 })).map((
  [name, values],
) => xml("field", { var: name }, ...values.map((v) => xml("value", {}, v))));
const item = fc.oneof(
  fc.array(field, { maxLength: 6 }).map((fields) => xml("item", {}, ...fields)),
  fc.tuple(text, text).map(([jid, first]) =>
    xml("item", { jid }, xml("first", {}, first))
  ),
);
const form = fc.tuple(
  fc.constantFrom("form", "result", "submit", "bogus"),
  fc.array(fc.oneof(field, item), { maxLength: 12 }),
).map(([type, children]) => xml("x", { xmlns: NS_DATA, type }, ...children));
const answer: fc.Arbitrary<XmlElement> = fc.tuple(
  fc.constantFrom("result", "error", "set"),
  fc.array(fc.oneof(form, item, field, text), { maxLength: 6 }),
).map(([type, children]) =>
  xml("iq", { type }, xml("query", { xmlns: NS_SEARCH }, ...children))
);

Deno.test("search readers: never throw, never change the answer", () => {
  fc.assert(
    fc.property(answer, (element) => {
      const before = element.toString();
      const result = parseFormResult(element);
      parseFormSearch(element);
      parseSearchForm(element);
      assert.equal(element.toString(), before);
      if (result instanceof ParseError) return;
      assert.ok(result.length <= DIRECTORY_LIMITS.results);
      assert.equal(new Set(result.map((e) => e.jid)).size, result.length);
      assert.deepEqual(parseFormResult(element), result);
    }),
    fuzzRuns(55_0055),
  );
});
