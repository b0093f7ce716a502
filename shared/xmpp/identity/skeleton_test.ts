import assert from "node:assert/strict";
import { skeleton } from "./skeleton.ts";

Deno.test("skeleton: case, spacing and address separators do not count", () => {
  const sam = skeleton("Sam Sullivan");
  for (
    const same of [
      "SAM SULLIVAN",
      "sam  sullivan",
      "sam.sullivan",
      "Sam_Sullivan",
      " sam-sullivan ",
    ]
  ) {
    assert.equal(skeleton(same), sam, same);
  }
});

Deno.test("skeleton: invisible code points are dropped", () => {
  const sam = skeleton("Sam Sullivan");
  for (
    const noisy of [
      "S\u200Bam Sullivan", // zero-width space
      "Sa\u200Dm Sulli\u200Cvan", // joiners
      "\u202ESam Sullivan\u202C", // bidi override and pop
      "\u2066Sam\u2069 Sullivan\u200F", // isolates, RLM
      "Sam Sul\u00ADlivan", // soft hyphen
      "Sam\uFE0F Sullivan\u{E0100}", // variation selectors
      "S\u0323am Sullivan", // a combining dot below
    ]
  ) {
    assert.equal(skeleton(noisy), sam, JSON.stringify(noisy));
  }
});

Deno.test("skeleton: look-alike letters fold to the Latin they imitate", () => {
  const pairs: [string, string][] = [
    ["Sаm Sullivan", "Sam Sullivan"], // Cyrillic а
    ["Ѕam Ѕullivan", "Sam Sullivan"], // Cyrillic Ѕ
    ["Αlice", "Alice"], // Greek Α
    ["ΡΑΤ", "pat"], // Greek capitals
    ["Ｓａｍ", "Sam"], // fullwidth (NFKC)
    ["𝐒𝐚𝐦", "Sam"], // mathematical bold (NFKC)
    ["B1ll", "Bill"], // 1 for l
    ["BiII", "Bill"], // capital I for l
    ["B0b", "Bob"], // zero for o
    ["rnary", "mary"], // rn for m
    ["vvendy", "wendy"], // vv for w
    ["r.nary", "mary"], // a separator inside rn
  ];
  for (const [imitation, real] of pairs) {
    assert.equal(skeleton(imitation), skeleton(real), imitation);
  }
});

Deno.test("skeleton: different names stay different", () => {
  assert.notEqual(skeleton("Sam Sullivan"), skeleton("Sam Sullivant"));
  assert.notEqual(skeleton("Dana"), skeleton("Diana"));
  assert.notEqual(skeleton("Erin"), skeleton("Eric"));
});

Deno.test("skeleton: nothing visible gives the empty skeleton", () => {
  assert.equal(skeleton(""), "");
  assert.equal(skeleton("\u200B\u200D\u202E \u00AD"), "");
});

Deno.test("skeleton: a lone surrogate is kept, not thrown on", () => {
  assert.equal(skeleton("a\uD800b"), "a\uD800b");
});
