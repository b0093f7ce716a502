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
import { DIRECTORY_LIMITS, ENTRY_FIELDS } from "./directory_entries.ts";
import { parseFormResult, parseFormSearch } from "./search_form.ts";
import {
  NS_SEARCH,
  parseSearchForm,
  parseSearchResult,
} from "./search_legacy.ts";
import { cleanText } from "../core/display_text.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import { assertPlainData } from "../../../tests/support/plain_data.ts";
import {
  anyTree,
  hostileText,
  hugeText,
  jidText,
} from "../../../tests/support/stanza_arbitrary.ts";

const text = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "",
      "jid",
      "a@b",
      "first",
      "last",
      "nick",
      "fn",
      "x@y/z",
    ),
  },
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: hostileText },
  { weight: 3, arbitrary: jidText },
  { weight: 1, arbitrary: hugeText },
);
const field = fc.tuple(text, fc.array(text, { maxLength: 3 })).map((
  [name, values],
) => xml("field", { var: name }, ...values.map((v) => xml("value", {}, v))));
const item = fc.oneof(
  fc.array(field, { maxLength: 6 }).map((fields) => xml("item", {}, ...fields)),
  fc.tuple(text, text).map(([jid, first]) =>
    xml("item", { jid }, xml("first", {}, first))
  ),
  // XEP-0055 §2.1 legacy items with every field, and vocabulary trees.
  fc.tuple(jidText, fc.array(text, { minLength: 4, maxLength: 4 })).map((
    [jid, [first, last, nick, email]],
  ) =>
    xml(
      "item",
      { jid },
      xml("first", {}, first),
      xml("last", {}, last),
      xml("nick", {}, nick),
      xml("email", {}, email),
    )
  ),
  anyTree,
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
      const legacy = parseSearchResult(element);
      assertPlainData([parseFormSearch(element), parseSearchForm(element)]);
      assert.equal(element.toString(), before);
      for (const entries of [result, legacy]) {
        if (entries instanceof ParseError) continue;
        assertPlainData(entries);
        for (const entry of entries) {
          assert.equal(parseBareJid(entry.jid), entry.jid);
          // Cleaned once, never unescaped: cleaning again changes nothing.
          for (const field of ENTRY_FIELDS) {
            const value = entry[field];
            if (value === undefined) continue;
            assert.ok(value !== "");
            assert.equal(cleanText(value, DIRECTORY_LIMITS.fieldLength), value);
          }
        }
      }
      if (result instanceof ParseError) return;
      assert.ok(result.length <= DIRECTORY_LIMITS.results);
      assert.equal(new Set(result.map((e) => e.jid)).size, result.length);
      assert.deepEqual(parseFormResult(element), result);
    }),
    fuzzRuns(55_0055),
  );
});
