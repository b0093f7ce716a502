// The name sanitiser on any text: no path separator, control, format or
// bidi character and no lone surrogate gets through; the result is NFC,
// stable when sanitised again, never empty and within both bounds.
import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import {
  hostileText,
  hugeText,
} from "../../../tests/support/stanza_arbitrary.ts";
import {
  MAX_NAME_BYTES,
  MAX_NAME_CODE_POINTS,
  sanitizeFileName,
} from "./file_name.ts";

function sane(name: string): void {
  assert.doesNotMatch(name, /[/\\\p{Cc}\p{Cf}]/u);
  assert.ok(name.isWellFormed(), "no lone surrogate");
  assert.notEqual(name, "");
  assert.ok(Array.from(name).length <= MAX_NAME_CODE_POINTS);
  assert.ok(new TextEncoder().encode(name).length <= MAX_NAME_BYTES);
  assert.equal(name, name.normalize("NFC"));
  assert.doesNotMatch(name, /^[.\s]|[.\s]$/u);
  assert.doesNotMatch(
    name.split(".", 1)[0].trimEnd(),
    /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/iu,
    "not a Windows device",
  );
  assert.equal(sanitizeFileName(name), name, "stable");
}

Deno.test("files property: the name sanitiser", () => {
  const names = fc.oneof(
    hostileText,
    hugeText,
    fc.string({ unit: "binary", maxLength: 300 }),
    fc.string({ unit: "grapheme", maxLength: 80 }),
    fc.array(
      fc.constantFrom(
        "..",
        "/",
        "\\",
        ".",
        " ",
        "\u202e",
        "CON",
        "lpt1",
        "\u0301",
        "\u200b",
        "a",
        "é",
        "😀",
        ".exe",
      ),
      { maxLength: 40 },
    ).map((parts) => parts.join("")),
  );
  fc.assert(
    fc.property(names, (raw) => sane(sanitizeFileName(raw))),
    fuzzRuns(0x15_0007),
  );
});
