import assert from "node:assert/strict";
import { cleanText } from "./display_text.ts";

Deno.test("cleanText", async (t) => {
  await t.step("strips controls and bidi overrides, collapses spaces", () => {
    assert.equal(cleanText("  a\u0000b\u202e c \t\n d  ", 100), "ab c d");
    assert.equal(cleanText("\u2066x\u2069", 100), "x");
    assert.equal(cleanText("\u0007\u0008", 100), "");
  });

  await t.step("keeps emoji and joiners whole when cutting", () => {
    assert.equal(cleanText("👩‍💻 dev", 100), "👩‍💻 dev");
    assert.equal(cleanText("ab😀😀", 3), "ab😀");
  });

  await t.step("bounds huge input", () => {
    assert.equal(cleanText("x".repeat(10_000_000), 256).length, 256);
  });

  await t.step("text that draws nothing is no text", () => {
    assert.equal(cleanText("\u200b".repeat(200), 256), "");
    assert.equal(cleanText("\ufeff\u2060\u200c\u200d\u3164\u2800", 100), "");
    assert.equal(cleanText("\u0301\u0336", 100), "");
    // Visible text keeps its joiners and inner zero-width characters.
    assert.equal(cleanText("a\u200cb", 100), "a\u200cb");
    assert.equal(cleanText("S\u200bam", 100), "S\u200bam");
  });

  await t.step("normalizes to NFC", () => {
    assert.equal(cleanText("e\u0301", 10), "\u00e9");
  });
});

Deno.test("cleanText never leaves half a surrogate pair from a long input", () => {
  // Found by fuzzing (issue 14): the first, UTF-16 cut split the emoji.
  const cleaned = cleanText("\u0001".repeat(1023) + "\u{1F600}", 256);
  assert.equal(cleaned, "");
  assert.equal(cleanText("a".repeat(1023) + "\u{1F600}", 2000).length, 1025);
});
