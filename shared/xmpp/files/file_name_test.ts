import assert from "node:assert/strict";
import {
  FALLBACK_NAME,
  MAX_NAME_BYTES,
  MAX_NAME_CODE_POINTS,
  sanitizeFileName,
} from "./file_name.ts";

Deno.test("sanitizeFileName (XEP-0446 §3)", async (t) => {
  await t.step(
    "the issue's name: no climb, no reversal, true extension",
    () => {
      // "../../etc/passwd" + RLO + "gnp.exe" shows as "passwdexe.png".
      assert.equal(
        sanitizeFileName("../../etc/passwd\u202Egnp.exe"),
        "_.._etc_passwdgnp.exe",
      );
    },
  );
  await t.step("ordinary names are kept", () => {
    for (const name of ["report.pdf", "Q3 plan (final).xlsx", "été.txt"]) {
      assert.equal(sanitizeFileName(name), name);
    }
  });
  await t.step("path separators and Windows-forbidden characters", () => {
    assert.equal(sanitizeFileName("a/b\\c.txt"), "a_b_c.txt");
    assert.equal(sanitizeFileName('x<y>z:"|?*.txt'), "x_y_z_____.txt");
    assert.equal(
      sanitizeFileName("C:\\Windows\\evil.dll"),
      "C__Windows_evil.dll",
    );
  });
  await t.step("controls, format characters and bidi controls go", () => {
    assert.equal(sanitizeFileName("a\u0000b\u0007c\u007f.txt"), "abc.txt");
    assert.equal(
      sanitizeFileName(
        "x\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069y.pdf",
      ),
      "xy.pdf",
    );
    assert.equal(sanitizeFileName("a\u200e\u200f\u061c\u200b\ufeffb"), "ab");
    assert.equal(sanitizeFileName("a\u2028b\u2029c"), "a b c");
    assert.equal(sanitizeFileName("line\r\n\tbreak.txt"), "line break.txt");
  });
  await t.step("lone surrogates go, pairs stay", () => {
    assert.equal(sanitizeFileName("a\ud800b\udc00c😀.txt"), "abc😀.txt");
  });
  await t.step("NFC", () => {
    assert.equal(sanitizeFileName("e\u0301.txt"), "\u00e9.txt");
    // Removing the format character lets NFC compose what it separated.
    assert.equal(sanitizeFileName("e\u200b\u0301"), "\u00e9");
  });
  await t.step("no leading dots, no trailing dots or spaces", () => {
    assert.equal(sanitizeFileName(".bashrc"), "bashrc");
    assert.equal(sanitizeFileName("  ..  x.txt"), "x.txt");
    assert.equal(sanitizeFileName("report.pdf. . "), "report.pdf");
  });
  await t.step("reserved Windows device names", () => {
    assert.equal(sanitizeFileName("CON"), "_CON");
    assert.equal(sanitizeFileName("nul.txt"), "_nul.txt");
    assert.equal(sanitizeFileName("com1 .log"), "_com1 .log");
    assert.equal(sanitizeFileName("LPT9.tar.gz"), "_LPT9.tar.gz");
    assert.equal(sanitizeFileName("COM¹"), "_COM¹");
    assert.equal(sanitizeFileName("console.txt"), "console.txt");
    assert.equal(sanitizeFileName("com10"), "com10");
  });
  await t.step("never empty", () => {
    for (
      const name of ["", " ", "...", "\u202e", "/", "\u0301\u0301", "\u3164"]
    ) {
      assert.equal(sanitizeFileName(name), FALLBACK_NAME, JSON.stringify(name));
    }
  });
  await t.step("long names are cut, keeping the extension", () => {
    const cut = sanitizeFileName(`${"a".repeat(500)}.pdf`);
    assert.equal(cut, `${"a".repeat(MAX_NAME_CODE_POINTS - 4)}.pdf`);
    const emoji = sanitizeFileName(`${"😀".repeat(200)}.txt`);
    assert.ok(new TextEncoder().encode(emoji).length <= MAX_NAME_BYTES);
    assert.ok(emoji.endsWith("😀.txt"));
    // A cut that ends on a dot or space trims it before the extension.
    const dotted = sanitizeFileName(
      `${"a".repeat(115)} . ${"b".repeat(10)}.pdf`,
    );
    assert.ok(dotted.endsWith(".pdf"));
    assert.ok(!/[. ]\.pdf$/.test(dotted), dotted);
  });
  await t.step("an over-long extension is cut like the rest", () => {
    const cut = sanitizeFileName(`x.${"e".repeat(300)}`);
    assert.equal(Array.from(cut).length, MAX_NAME_CODE_POINTS);
    assert.ok(cut.startsWith("x."));
  });
  await t.step("huge input is bounded", () => {
    const cut = sanitizeFileName("\u202e".repeat(100_000) + "x.txt");
    assert.equal(cut, FALLBACK_NAME);
  });
});
