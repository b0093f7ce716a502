// Property test of the skeleton and the imitation rule (issue 14): on any
// string — lone surrogates, bidi controls, look-alikes — the skeleton never
// throws and is a fixpoint; a name with invisible noise and another case
// still imitates itself; and only someone else can imitate a contact.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { CONFUSABLE_LETTERS } from "./confusables.ts";
import { contactIndex, imitatedContact } from "./imitation.ts";
import { describePerson } from "./person.ts";
import { skeleton } from "./skeleton.ts";

const RUNS = fuzzRuns(0x1d39);

/** Code points an impersonator adds that no one sees. */
const NOISE = [
  "\u200B",
  "\u200C",
  "\u200D",
  "\u2060",
  "\uFEFF", // zero-width
  "\u200E",
  "\u200F",
  "\u202A",
  "\u202B",
  "\u202C",
  "\u202D",
  "\u202E",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  "\u061C", // bidi controls
  "\u00AD",
  "\uFE0F",
  "\uFE00",
  "\u{E0100}", // soft hyphen, selectors
];

/** Any string, lone surrogates and look-alikes included. */
const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(
      ...NOISE,
      ...CONFUSABLE_LETTERS.keys(),
      "a",
      "S",
      "I",
      "l",
      "r",
      "n",
      " ",
      ".",
      "\uD800",
      "\uDC00",
    ),
    maxLength: 40,
  }),
);

/** Names as people write them: letters, digits, spaces and separators. */
const name = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzSAMIO01 .-_"),
  minLength: 1,
  maxLength: 24,
}).filter((text) => skeleton(text) !== "");

/** `text` with invisible code points between its characters, case changed. */
const noisy = (text: string) =>
  fc.tuple(
    fc.array(fc.constantFrom(...NOISE, ""), {
      minLength: text.length + 1,
      maxLength: text.length + 1,
    }),
    fc.boolean(),
  ).map(([noise, upper]) => {
    const cased = upper ? text.toUpperCase() : text.toLowerCase();
    return [...cased].map((char, i) => noise[i] + char).join("") +
      noise[text.length];
  });

Deno.test("skeleton: total and idempotent on any string", () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const once = skeleton(text);
      assert.equal(typeof once, "string");
      assert.equal(skeleton(once), once);
    }),
    RUNS,
  );
});

Deno.test("a name with invisible noise and another case imitates itself", () => {
  fc.assert(
    fc.property(
      name.chain((real) => fc.tuple(fc.constant(real), noisy(real))),
      ([real, fake]) => {
        const sam = { jid: "real@corp.example", name: real };
        const index = contactIndex([sam]);
        assert.deepEqual(
          imitatedContact(index, "fake@evil.example", [fake]),
          sam,
        );
      },
    ),
    RUNS,
  );
});

Deno.test("only another JID imitates: a contact's own names never do", () => {
  fc.assert(
    fc.property(anyText, anyText, (display, other) => {
      const jid = "someone@corp.example";
      const index = contactIndex([{ jid, name: display }]);
      assert.equal(imitatedContact(index, jid, [display, other]), undefined);
      // And describing anyone never throws, whatever they claim.
      describePerson("x@evil.example", { contact: false, claim: other }, index);
      describePerson(jid, { contact: true, vcardName: other }, index);
    }),
    RUNS,
  );
});

Deno.test("a stranger is always shown by their address, never their claim", () => {
  fc.assert(
    fc.property(anyText, anyText, (contactName, claim) => {
      const index = contactIndex([
        { jid: "sam@corp.example", name: contactName },
      ]);
      const person = describePerson(
        "x@evil.example",
        { contact: false, claim },
        index,
      );
      assert.equal(person.name, "x@evil.example");
      // A claim that imitates the contact is not shown at all.
      if (person.looksLike) assert.equal(person.claim, undefined);
    }),
    RUNS,
  );
});
