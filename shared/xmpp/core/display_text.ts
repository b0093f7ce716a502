// Free text from the wire (roster names, groups, status messages, directory
// fields) made safe to show and to use as a key: no control characters, no
// bidi overrides that could make one contact look like another, whitespace
// collapsed, NFC, and a bound on length so a hostile server cannot make the
// UI lay out megabytes.

// Cc (C0, DEL, C1) and the bidi embeddings, overrides and isolates
// (Unicode TR9 §2.1–2.4), which can reorder the text shown around a name.
// Tab and line breaks are Cc too; they become spaces.
const STRIPPED = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
const WHITESPACE = /\s+/gu;
// Text that draws nothing: format characters (Cf: zero-width space and
// joiners, word joiner, BOM), combining marks with no base, separators, and
// the blank letters kept for legacy encodings (Hangul fillers, braille
// blank). A name made only of them would show as an empty row; it counts
// as no text, so the view falls back to the address.
const INVISIBLE = /^[\p{Cf}\p{M}\p{Z}\u115f\u1160\u2800\u3164\uffa0]*$/u;

function strip(char: string): string {
  return /\s/u.test(char) ? " " : "";
}

/** The cleaned text, at most `maxLength` code points; "" when nothing is left. */
export function cleanText(value: string, maxLength: number): string {
  // Bounds the regex work on huge input: cleaning only ever shortens, so a
  // few times the limit in UTF-16 units is always enough to fill it.
  const bounded = value.length > maxLength * 4
    ? wholeCodePoints(value.slice(0, maxLength * 4))
    : value;
  const cleaned = bounded.replace(STRIPPED, strip).replace(WHITESPACE, " ")
    .trim().normalize("NFC");
  if (INVISIBLE.test(cleaned)) return "";
  if (cleaned.length <= maxLength) return cleaned;
  // Cut on code points, never inside a surrogate pair.
  return Array.from(cleaned).slice(0, maxLength).join("").trimEnd();
}

// A cut in UTF-16 units can leave the high half of a surrogate pair last;
// it would show as U+FFFD, or as a lone surrogate once the text is cut again.
function wholeCodePoints(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}
