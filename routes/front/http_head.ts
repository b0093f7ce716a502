// HTTP/1.1 request-head framing for the TCP front (RFC 9112 §2–§6). Pure:
// bytes in, a parsed head or a typed HeadError out, never a throw. The front
// forwards only what this parser accepted, re-serialized by
// serializeRequestHead, so the backend frames each request exactly as the
// front did and no byte can be read as a second, smuggled request.

export interface HeaderField {
  readonly name: string;
  readonly value: string;
}

export type HttpVersion = "HTTP/1.0" | "HTTP/1.1";

export interface RequestHead {
  readonly method: string;
  readonly target: string;
  readonly version: HttpVersion;
  /** In order, names as sent, values without surrounding whitespace. */
  readonly fields: readonly HeaderField[];
  /** Declared body length; 0 without Content-Length (RFC 9112 §6.3 item 7). */
  readonly contentLength: number;
  /** Whether the client lets the connection persist (RFC 9112 §9.3). */
  readonly keepAlive: boolean;
}

export type HeadErrorStatus = 400 | 411 | 413 | 431 | 501 | 505;

/** Why a request head was refused, with the status the front answers. */
export class HeadError extends Error {
  constructor(readonly status: HeadErrorStatus, message: string) {
    super(message);
    this.name = "HeadError";
  }
}

export interface HeadLimits {
  /** Largest Content-Length accepted; more is 413 (RFC 9110 §15.5.14). */
  readonly maxBodyBytes: number;
}

const CR = 13;
const LF = 10;
// RFC 9110 §5.6.2 token.
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// RFC 9110 §5.5 field-value: VCHAR, obs-text, SP and HTAB inside.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
// RFC 9112 §3.2: request-target is visible ASCII without spaces.
const TARGET = /^[\x21-\x7e]+$/;
const ABSOLUTE_FORM = /^https?:\/\//i;
const DIGITS = /^\d{1,15}$/;

/**
 * The index just past the head's final CRLF CRLF in `bytes`, scanning from
 * `from` (a previous scan's length, so a slow client costs linear time), or
 * -1 while incomplete. A bare LF also ends the scan, so that the parser
 * refuses it at once instead of the client waiting out the header timeout.
 */
export function findHeadEnd(bytes: Uint8Array, from = 0): number {
  for (let i = Math.max(0, from - 3); i < bytes.length; i++) {
    if (bytes[i] !== LF) continue;
    if (i === 0 || bytes[i - 1] !== CR) return i + 1;
    if (i >= 3 && bytes[i - 2] === LF && bytes[i - 3] === CR) return i + 1;
  }
  return -1;
}

/**
 * How many bytes of empty lines (CRLF pairs) start `bytes`: RFC 9112 §2.2
 * asks a server to ignore at least one before a request-line.
 */
export function leadingEmptyLines(bytes: Uint8Array): number {
  let i = 0;
  while (i + 1 < bytes.length && bytes[i] === CR && bytes[i + 1] === LF) i += 2;
  return i;
}

/** Parses a complete head (through the final CRLF CRLF). */
export function parseRequestHead(
  bytes: Uint8Array,
  limits: HeadLimits,
): RequestHead | HeadError {
  const text = latin1(bytes);
  if (!text.endsWith("\r\n\r\n")) {
    return new HeadError(400, "Lines must end with CRLF (RFC 9112 §2.2).");
  }
  const lines = text.slice(0, -4).split("\r\n");
  if (lines.some((line) => line.includes("\r") || line.includes("\n"))) {
    return new HeadError(400, "Bare CR or LF in the head (RFC 9112 §2.2).");
  }
  const requestLine = parseRequestLine(lines[0]);
  if (requestLine instanceof HeadError) return requestLine;
  const fields = parseFieldLines(lines.slice(1));
  if (fields instanceof HeadError) return fields;
  return frame({ ...requestLine, fields }, limits);
}

interface RequestLine {
  readonly method: string;
  readonly target: string;
  readonly version: HttpVersion;
}

// RFC 9112 §3: method SP request-target SP HTTP-version, single spaces.
function parseRequestLine(line: string): RequestLine | HeadError {
  const parts = line.split(" ");
  if (parts.length !== 3) {
    return new HeadError(400, "Malformed request-line (RFC 9112 §3).");
  }
  const [method, target, version] = parts;
  if (!TOKEN.test(method)) {
    return new HeadError(400, "The method is not a token (RFC 9112 §3.1).");
  }
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") {
    return /^HTTP\/\d\.\d$/.test(version)
      ? new HeadError(505, "Only HTTP/1.0 and HTTP/1.1 are served.")
      : new HeadError(400, "Malformed HTTP-version (RFC 9112 §2.3).");
  }
  if (method === "CONNECT") {
    return new HeadError(501, "CONNECT is not served here.");
  }
  // RFC 9112 §3.2: origin-form, absolute-form, or asterisk-form for OPTIONS.
  const form = TARGET.test(target) &&
    (target.startsWith("/") || ABSOLUTE_FORM.test(target) ||
      (target === "*" && method === "OPTIONS"));
  if (!form) {
    return new HeadError(400, "Malformed request-target (RFC 9112 §3.2).");
  }
  return { method, target, version };
}

/** Field lines (RFC 9112 §5), shared with the response framing. */
export function parseFieldLines(
  lines: readonly string[],
): HeaderField[] | HeadError {
  const fields: HeaderField[] = [];
  for (const line of lines) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      // RFC 9112 §5.2: a server MUST reject obs-fold (or replace it).
      return new HeadError(400, "Folded header lines are refused.");
    }
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    // RFC 9112 §5.1: no whitespace between the name and the colon.
    if (colon < 0 || !TOKEN.test(name)) {
      return new HeadError(400, "Malformed header field (RFC 9112 §5.1).");
    }
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) {
      return new HeadError(
        400,
        `Invalid characters in ${name} (RFC 9110 §5.5).`,
      );
    }
    fields.push({ name, value });
  }
  return fields;
}

/** All values of a field, comma lists split (RFC 9110 §5.3, §5.6.1). */
export function fieldValues(
  fields: readonly HeaderField[],
  name: string,
): string[] {
  return fields
    .filter((field) => field.name.toLowerCase() === name)
    .flatMap((field) => field.value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}

function frame(
  head: RequestLine & { readonly fields: readonly HeaderField[] },
  limits: HeadLimits,
): RequestHead | HeadError {
  const named = (name: string) =>
    head.fields.filter((field) => field.name.toLowerCase() === name);
  const hosts = named("host");
  // RFC 9112 §3.2: 400 for a 1.1 request without Host or with several.
  if (hosts.length > 1 || (hosts.length === 0 && head.version === "HTTP/1.1")) {
    return new HeadError(400, "Send exactly one Host header (RFC 9112 §3.2).");
  }
  const lengths = named("content-length");
  if (named("transfer-encoding").length > 0) {
    // RFC 9112 §6.1: Transfer-Encoding in 1.0, or beside Content-Length, is
    // faulty framing. Otherwise a chunked body is refused with 411 (§6.3
    // lets a server require Content-Length): the service takes only small
    // JSON bodies, and one framing rule on both sides of the front leaves
    // no room for request smuggling.
    return head.version === "HTTP/1.0" || lengths.length > 0
      ? new HeadError(
        400,
        "Transfer-Encoding with faulty framing (RFC 9112 §6.1).",
      )
      : new HeadError(411, "Send the body with a Content-Length, not chunked.");
  }
  if (named("upgrade").length > 0) {
    return new HeadError(501, "Protocol upgrades are not served here.");
  }
  const contentLength = parseContentLength(lengths);
  if (contentLength instanceof HeadError) return contentLength;
  if (contentLength > limits.maxBodyBytes) {
    return new HeadError(
      413,
      `The body is too large: at most ${limits.maxBodyBytes} bytes.`,
    );
  }
  const connection = new Set(
    fieldValues(head.fields, "connection").map((token) => token.toLowerCase()),
  );
  const keepAlive = !connection.has("close") &&
    (head.version === "HTTP/1.1" || connection.has("keep-alive"));
  return { ...head, contentLength, keepAlive };
}

// RFC 9112 §6.3 item 5 and RFC 9110 §8.6: one valid length; a list or
// repeated field of identical values may be taken as that value.
function parseContentLength(
  fields: readonly HeaderField[],
): number | HeadError {
  if (fields.length === 0) return 0;
  const values = fields.flatMap((field) => field.value.split(",")).map((v) =>
    v.trim()
  );
  if (!values.every((value) => DIGITS.test(value))) {
    return new HeadError(400, "Invalid Content-Length (RFC 9110 §8.6).");
  }
  const lengths = new Set(values.map(Number));
  if (lengths.size !== 1) {
    return new HeadError(
      400,
      "Conflicting Content-Length values (RFC 9112 §6.3).",
    );
  }
  return [...lengths][0];
}

/**
 * The head as the front forwards it: one request-line, the client's fields
 * minus `drop` (lower-case names) and Content-Length, then one normalized
 * Content-Length when there is a body, then `extra`.
 */
export function serializeRequestHead(
  head: RequestHead,
  drop: ReadonlySet<string>,
  extra: readonly HeaderField[],
): Uint8Array {
  let text = `${head.method} ${head.target} ${head.version}\r\n`;
  for (const { name, value } of head.fields) {
    const lower = name.toLowerCase();
    if (lower === "content-length" || drop.has(lower)) continue;
    text += `${name}: ${value}\r\n`;
  }
  if (
    head.contentLength > 0 ||
    head.fields.some((f) => f.name.toLowerCase() === "content-length")
  ) {
    text += `Content-Length: ${head.contentLength}\r\n`;
  }
  for (const { name, value } of extra) text += `${name}: ${value}\r\n`;
  return latin1Bytes(`${text}\r\n`);
}

/** Bytes as ISO-8859-1 code points: field values may carry obs-text. */
export function latin1(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return text;
}

/** The inverse of {@link latin1} for strings of code points below 256. */
export function latin1Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}
