// The XEP-0446 file metadata element (<file xmlns='urn:xmpp:file:metadata:0'>)
// with its XEP-0300 hash, built from a file we send and read from an
// offer: the name sanitised, the size a safe integer, the media type a
// plain MIME type, the SHA-256 exactly 32 bytes. Never throws.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { sanitizeFileName } from "./file_name.ts";

export const NS_FILE_METADATA = "urn:xmpp:file:metadata:0";
export const NS_HASHES = "urn:xmpp:hashes:2";
/** XEP-0300 §3 (IANA Hash Function Textual Names). */
export const SHA_256 = "sha-256";
/** XEP-0446 §2: the media type when none is given. */
export const DEFAULT_MEDIA_TYPE = "application/octet-stream";

export interface FileMetadata {
  /** Sanitised (file_name.ts); undefined when the element had none. */
  readonly name?: string;
  /** Bytes; undefined when not given. */
  readonly size?: number;
  /** Lower-case `type/subtype`, parameters dropped; the default if none. */
  readonly mediaType: string;
  /** Base64 of the 32-byte SHA-256 (XEP-0300 §3); undefined when absent. */
  readonly sha256?: string;
}

export interface OutgoingFileMetadata {
  readonly name: string;
  readonly size: number;
  readonly mediaType: string;
  /** Base64 of the 32-byte SHA-256 of the bytes uploaded. */
  readonly sha256: string;
}

// RFC 6838 §4.2 restricted-name for both halves; no wildcard on the wire.
const MEDIA_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
// XEP-0446 §2 size: a count of bytes, no sign, no exponent; 16 digits
// hold every safe integer.
const SIZE = /^\d{1,16}$/;
// 32 bytes in RFC 4648 §4 base64: 43 characters and one "=".
const SHA_256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
/** Name text read before sanitising; the sanitiser bounds it further. */
const NAME_READ_LENGTH = 4096;

/** The media type as we compare it: lower-case, no parameters; else undefined. */
export function plainMediaType(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > 256) return undefined;
  const type = raw.split(";", 1)[0].trim().toLowerCase();
  return MEDIA_TYPE.test(type) ? type : undefined;
}

/**
 * A SHA-256 in base64 as 32 bytes, re-encoded canonically; undefined when
 * it is not exactly that (RFC 4648 §4, XEP-0300 §3).
 */
export function canonicalSha256(raw: string): string | undefined {
  const text = raw.trim();
  if (!SHA_256_BASE64.test(text)) return undefined;
  const binary = atob(text);
  if (binary.length !== 32) return undefined;
  // Non-zero bits after the last byte would decode all the same; the
  // re-encoding is the one spelling we compare.
  return btoa(binary);
}

export function fileMetadataElement(file: OutgoingFileMetadata): XmlElement {
  return xml(
    "file",
    { xmlns: NS_FILE_METADATA },
    xml("media-type", {}, file.mediaType),
    xml("name", {}, file.name),
    xml("size", {}, String(file.size)),
    xml("hash", { xmlns: NS_HASHES, algo: SHA_256 }, file.sha256),
  );
}

// The condition says why; whoever reads these errors drops the stanza
// (file_incoming.ts, chat_incoming.ts), so no sentence is built for them.
function invalid(condition: string): ParseError {
  return new ParseError(condition);
}

function readSize(file: XmlElement): number | undefined | ParseError {
  const text = file.getChildText("size");
  if (text === null) return undefined;
  const trimmed = text.trim();
  const size = Number(trimmed);
  if (!SIZE.test(trimmed) || !Number.isSafeInteger(size)) {
    return invalid("bad-size");
  }
  return size;
}

/**
 * The sha-256 of the file's hashes (XEP-0300 §3: other algorithms are
 * skipped). One that is not 32 bytes in base64, or two that differ, make
 * the offer a lie about its content: refused, never offered unchecked.
 */
function readSha256(file: XmlElement): string | undefined | ParseError {
  let found: string | undefined;
  for (const hash of file.getChildren("hash", NS_HASHES)) {
    if (hash.attrs.algo !== SHA_256) continue;
    const value = canonicalSha256(hash.text().slice(0, 256));
    if (value === undefined || (found !== undefined && found !== value)) {
      return invalid("bad-hash");
    }
    found = value;
  }
  return found;
}

export function parseFileMetadata(
  file: XmlElement | undefined,
): FileMetadata | ParseError {
  if (file === undefined || !file.is("file", NS_FILE_METADATA)) {
    return invalid("no-metadata");
  }
  const size = readSize(file);
  if (size instanceof ParseError) return size;
  const sha256 = readSha256(file);
  if (sha256 instanceof ParseError) return sha256;
  const rawName = file.getChildText("name");
  const name = rawName === null
    ? undefined
    : sanitizeFileName(rawName.slice(0, NAME_READ_LENGTH));
  const mediaType =
    plainMediaType(file.getChildText("media-type") ?? undefined) ??
      DEFAULT_MEDIA_TYPE;
  return {
    mediaType,
    ...(name === undefined ? {} : { name }),
    ...(size === undefined ? {} : { size }),
    ...(sha256 === undefined ? {} : { sha256 }),
  };
}
