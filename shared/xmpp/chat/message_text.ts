// Message text from the wire or the composer, made safe to keep and show as
// text: unlike core/display_text.ts (names, one line) it keeps the line
// breaks a Shift+Enter made, but drops the other control characters and
// the bidi overrides that could make a line read as something else
// (Unicode TR9 §2.1–2.4), and bounds the length so a hostile peer cannot
// make the UI lay out megabytes.

// Cc (tab and line feed are kept by `strip`), plus the bidi embeddings,
// overrides and isolates.
const STRIPPED = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;
// XML 1.0 §2.11 turns CRLF into LF, but a &#13; reference survives;
// U+2028/U+2029 separate lines too, where a text view would not break.
const LINE_ENDS = /\r\n?|[\u2028\u2029]/gu;

function strip(char: string): string {
  return char === "\n" || char === "\t" ? char : "";
}

/** The cleaned body, at most `maxLength` code points; "" when nothing is left. */
export function cleanBody(value: string, maxLength: number): string {
  // Cleaning only ever shortens: a few times the limit is always enough.
  const bounded = value.length > maxLength * 4
    ? value.slice(0, maxLength * 4)
    : value;
  const cleaned = bounded.replace(LINE_ENDS, "\n").replace(STRIPPED, strip)
    .normalize("NFC").trim();
  if (cleaned.length <= maxLength) return cleaned;
  // Cut on code points, never inside a surrogate pair.
  return Array.from(cleaned).slice(0, maxLength).join("").trimEnd();
}
