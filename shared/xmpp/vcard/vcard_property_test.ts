// Property test of the vCard reader: whatever a server or a hostile user
// puts in a vCard answer, it returns data or a ParseError, never throws,
// never changes the answer, and keeps names clean and bounded.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { NS_VCARD, parseVcardResult, VCARD_LIMITS } from "./vcard_parser.ts";

const text = fc.oneof(
  fc.constantFrom("", " ", "Ann", "\u202eevil", "a\u0000b", "x".repeat(400)),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);
const leaf = fc.tuple(
  fc.constantFrom("FN", "NICKNAME", "N", "fn", "EMAIL", "PHOTO"),
  fc.array(text, { maxLength: 2 }),
).map(([name, texts]) => xml(name, {}, ...texts));
const child: fc.Arbitrary<XmlElement | string> = fc.oneof(
  leaf,
  text,
  leaf.map((inner) => xml("FN", {}, inner, "tail")),
);
const card = fc.tuple(
  fc.constantFrom(NS_VCARD, "vcard-temp:x:update", "", "urn:other"),
  fc.array(child, { maxLength: 6 }),
).map(([xmlns, children]) =>
  xml("vCard", xmlns === "" ? {} : { xmlns }, ...children)
);
const answer: fc.Arbitrary<XmlElement> = fc.tuple(
  fc.constantFrom("iq", "message"),
  fc.constantFrom("result", "error", "get", "set", undefined),
  fc.array(fc.oneof(card, leaf, text), { maxLength: 3 }),
).map(([name, type, children]) =>
  xml(name, type === undefined ? {} : { type, id: "v" }, ...children)
);

Deno.test("parseVcardResult: never throws, keeps names clean and bounded", () => {
  fc.assert(
    fc.property(answer, (stanza) => {
      const before = stanza.toString();
      const names = parseVcardResult(stanza);
      assert.equal(stanza.toString(), before, "the answer is unchanged");
      if (names instanceof ParseError) return;
      for (const name of [names.fullName, names.nickname]) {
        if (name === undefined) continue;
        assert.ok(name !== "");
        assert.ok([...name].length <= VCARD_LIMITS.nameLength);
        assert.equal(cleanText(name, VCARD_LIMITS.nameLength), name);
      }
    }),
    fuzzRuns(0x0054, 2000),
  );
});
