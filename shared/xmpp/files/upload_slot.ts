// XEP-0363 §4: asking the upload service for a slot, and reading the slot
// it grants (the PUT URL with the headers to send, the GET URL to offer).
// Never throws on what the service sends.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { checkFileUrl } from "./file_url.ts";

export const NS_HTTP_UPLOAD = "urn:xmpp:http:upload:0";

export interface SlotRequest {
  /** The upload service's JID (upload_discovery.ts). */
  readonly service: string;
  /** Sanitised (file_name.ts): the service keeps it in the URL (§4). */
  readonly name: string;
  readonly size: number;
  /** §4: optional; the PUT must then carry the same Content-Type (§6). */
  readonly mediaType?: string;
}

/** The header names §4 lets a slot set; others MUST be ignored. */
export type SlotHeaderName = "Authorization" | "Cookie" | "Expires";

export interface SlotHeader {
  readonly name: SlotHeaderName;
  readonly value: string;
}

export interface UploadSlot {
  readonly putUrl: string;
  /** Sent with the PUT as given (§4), besides Content-Length/-Type. */
  readonly headers: readonly SlotHeader[];
  readonly getUrl: string;
}

const ALLOWED_HEADERS: ReadonlyMap<string, SlotHeaderName> = new Map([
  ["authorization", "Authorization"],
  ["cookie", "Cookie"],
  ["expires", "Expires"],
]);
const MAX_HEADERS = 8;
const MAX_HEADER_VALUE = 4096;
// Security Considerations: newlines are stripped from header values;
// fetch() refuses NUL too, and anything beyond Latin-1 (a header value is
// a byte sequence, Fetch §2.2), so such a value is refused, not mangled.
// deno-lint-ignore no-control-regex
const NEWLINES = /[\r\n\u0000]/g;
const NOT_SENDABLE = /[^\t\u0020-\u007e\u00a0-\u00ff]/;

/** §4: an IQ-get with filename, size and, when known, content-type. */
export function slotRequestStanza(request: SlotRequest): XmlElement {
  const attrs: Record<string, string> = {
    xmlns: NS_HTTP_UPLOAD,
    filename: request.name,
    size: String(request.size),
  };
  if (request.mediaType !== undefined) {
    attrs["content-type"] = request.mediaType;
  }
  return xml("iq", { type: "get", to: request.service }, xml("request", attrs));
}

// A refused slot fails the transfer as the service's refusal, worded by
// the card ("the chat server refused the upload"); no sentence is built.
const BAD_SLOT = "bad-slot";

function readHeaders(put: XmlElement): SlotHeader[] | ParseError {
  const headers: SlotHeader[] = [];
  for (const header of put.getChildren("header")) {
    const name = ALLOWED_HEADERS.get(
      (header.attrs.name ?? "").trim().toLowerCase(),
    );
    // §4: any other header (Host, Content-Length…) is ignored, so a
    // service cannot steer the request beyond its credentials.
    if (name === undefined) continue;
    const value = header.text().slice(0, MAX_HEADER_VALUE + 1)
      .replace(NEWLINES, "").trim();
    if (
      headers.length === MAX_HEADERS || value.length > MAX_HEADER_VALUE ||
      NOT_SENDABLE.test(value)
    ) return new ParseError(BAD_SLOT);
    headers.push({ name, value });
  }
  return headers;
}

/**
 * The slot in the service's `result` (§4). Its URLs must be https, or
 * http when `allowHttp` (file_url.ts plainHttpAllowedBeside): §4 requires
 * TLS, and a plain-http PUT from an https page would be blocked as mixed
 * content anyway.
 */
export function parseUploadSlot(
  result: XmlElement,
  allowHttp: boolean,
): UploadSlot | ParseError {
  const slot = result.getChild("slot", NS_HTTP_UPLOAD);
  const put = slot?.getChild("put");
  const putUrl = checkFileUrl(put?.attrs.url, allowHttp);
  const getUrl = checkFileUrl(slot?.getChild("get")?.attrs.url, allowHttp);
  // No slot, no PUT or GET URL, or one file_url.ts refuses.
  if (!put || !putUrl.ok || !getUrl.ok) return new ParseError(BAD_SLOT);
  const headers = readHeaders(put);
  if (headers instanceof ParseError) return headers;
  return { putUrl: putUrl.href, headers, getUrl: getUrl.href };
}
