// An offered file's name (XEP-0446 §2 <name/>, or the last segment of a
// URL) made safe to show and to hand to the browser as the download name.
// XEP-0446 §3: a name from the wire may try to climb out of the downloads
// folder ("../../etc/passwd") or disguise its type with a bidi override
// ("passwd\u202Egnp.exe" shows as "passwdexe.png"); so no path separators,
// no control or format characters, no leading dot (a hidden file) or
// trailing dot or space (which Windows drops, changing the type), no
// reserved Windows device name, bounded, never empty.

/** Code points of a name; the view cuts further with an ellipsis. */
export const MAX_NAME_CODE_POINTS = 120;
/**
 * UTF-8 bytes of a name: under the 255 of ext4, APFS and NTFS (255 UTF-16
 * units), with room for the " (1)" a browser adds to a duplicate.
 */
export const MAX_NAME_BYTES = 240;
/** What a name with nothing usable left becomes. */
export const FALLBACK_NAME = "file";

// An extension kept whole when a long name is cut: a dot and 1–16 letters
// or digits of any script.
const EXTENSION = /\.[\p{L}\p{N}]{1,16}$/u;
// Path separators (POSIX /, Windows \) and the other characters Windows
// refuses in a name (<>:"|?*); each becomes "_", so the cut stays visible.
const FORBIDDEN = /[/\\<>:"|?*]/gu;
// Line breaks and tabs (Cc among them) become spaces first; then the
// other Cc controls, the Cf format characters (bidi embeddings, overrides
// and isolates U+202A–202E and U+2066–2069, marks U+200E/200F/061C,
// zero-width characters, BOM, soft hyphen) and lone surrogates go.
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/gu;
const INVISIBLE =
  /[\p{Cc}\p{Cf}]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
const SPACES = /\s+/gu;
// Windows device names, also with an extension ("CON.txt", "com1 .log")
// and with the superscript digits Windows counts too.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/iu;
// What draws nothing: a name made only of marks, separators or blank
// letters would show as an empty label.
const BLANK = /^[\p{M}\p{Z}\u115f\u1160\u2800\u3164\uffa0_.]*$/u;

const encoder = new TextEncoder();

/** The safe name of `raw`; the same name when given it again. */
export function sanitizeFileName(raw: string): string {
  // Removing a character can bring two others together (a base and a mark
  // NFC then composes); a second pass settles such a name, so the result is
  // the same when sanitised again.
  return clean(clean(raw));
}

function clean(raw: string): string {
  // Cleaning only shortens (NFC apart, by a bounded factor), so a few times
  // the limit is enough and bounds the regex work on a huge name.
  const bounded = raw.length > MAX_NAME_CODE_POINTS * 8
    ? raw.slice(0, MAX_NAME_CODE_POINTS * 8)
    : raw;
  let name = bounded.replace(BREAKS, " ").replace(INVISIBLE, "");
  name = name.normalize("NFC").replace(FORBIDDEN, "_").replace(SPACES, " ");
  name = trimEdges(name);
  if (BLANK.test(name)) return FALLBACK_NAME;
  // Reserved names are short, so the prefix never meets the bound's cut;
  // the cut may leave only what draws nothing (marks whose base it cut).
  name = bound(unreserved(name));
  return BLANK.test(name) ? FALLBACK_NAME : name;
}

/** No leading dots or spaces, no trailing dots or spaces. */
function trimEdges(name: string): string {
  return name.replace(/^[.\s]+/u, "").replace(/[.\s]+$/u, "");
}

/** Within both bounds, keeping the extension when there is one. */
function bound(name: string): string {
  if (fits(name)) return name;
  const extension = EXTENSION.exec(name)?.[0] ?? "";
  const points = Array.from(name.slice(0, name.length - extension.length));
  const extensionPoints = Array.from(extension).length;
  const extensionBytes = encoder.encode(extension).length;
  let keep = Math.min(points.length, MAX_NAME_CODE_POINTS - extensionPoints);
  let bytes = encoder.encode(points.slice(0, keep).join("")).length;
  while (keep > 0 && bytes + extensionBytes > MAX_NAME_BYTES) {
    keep--;
    bytes -= encoder.encode(points[keep]).length;
  }
  const stem = trimEdges(points.slice(0, keep).join(""));
  return stem === "" ? extension.slice(1) : stem + extension;
}

function fits(name: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: short names need no encoding.
  if (name.length * 3 <= MAX_NAME_BYTES) return true;
  return Array.from(name).length <= MAX_NAME_CODE_POINTS &&
    encoder.encode(name).length <= MAX_NAME_BYTES;
}

/** "CON.txt" → "_CON.txt": Windows would open the device, not a file. */
function unreserved(name: string): string {
  const stem = name.split(".", 1)[0].trimEnd();
  return RESERVED.test(stem) ? `_${name}` : name;
}
