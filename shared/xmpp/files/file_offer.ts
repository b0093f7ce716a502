// A file offer in a chat message: XEP-0447 stateless file sharing around
// XEP-0446 metadata and an XEP-0103 url-data source, with the XEP-0066 oob
// URL and a body holding the URL as the fallback XEP-0447 §3.1 recommends,
// so any XMPP client shows at least a link. The parser also takes a bare
// oob message, as an offer without size or hash: what Conversations, Gajim,
// Dino, Monal and Converse.js send after an XEP-0363 upload (a <body> that
// is the GET URL, and the same URL in <x xmlns='jabber:x:oob'>).
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import type { Jid } from "../core/jid_parse.ts";
import { isStanzaId, NS_RECEIPTS } from "../chat/receipt_parser.ts";
import { userMessageSender } from "../chat/message_parser.ts";
import { sanitizeFileName } from "./file_name.ts";
import {
  DEFAULT_MEDIA_TYPE,
  type FileMetadata,
  fileMetadataElement,
  NS_FILE_METADATA,
  type OutgoingFileMetadata,
  parseFileMetadata,
} from "./file_metadata.ts";
import { checkFileUrl } from "./file_url.ts";

export const NS_SFS = "urn:xmpp:sfs:0";
export const NS_URL_DATA = "http://jabber.org/protocol/url-data";
export const NS_OOB = "jabber:x:oob";

export interface OutgoingOffer extends OutgoingFileMetadata {
  readonly to: string;
  /** The message id: receipts (XEP-0184) and our outcomes name it. */
  readonly id: string;
  /** The slot's GET URL (XEP-0363 §4). */
  readonly url: string;
}

export interface FileOffer {
  /** The offering message's id, which outcomes (file_outcome.ts) name. */
  readonly id: string;
  readonly from: Jid;
  /** Sanitised; from the URL's last segment, or "file", when none given. */
  readonly name: string;
  /** Bytes; undefined for a bare oob offer. */
  readonly size?: number;
  readonly mediaType: string;
  /** Base64 of the 32-byte SHA-256; undefined when none was offered. */
  readonly sha256?: string;
  /** The http(s) URL to download (file_url.ts checked it). */
  readonly url: string;
  /**
   * sfs: an XEP-0447 offer; oob: only an XEP-0066 URL, from a client that
   * sends no metadata.
   */
  readonly kind: "sfs" | "oob";
}

export interface OfferOptions {
  /**
   * Plain http beside a plain-http or loopback chat server (file_url.ts
   * plainHttpAllowedBeside): for an XEP-0447 offer only with a SHA-256.
   */
  readonly allowHttp: boolean;
}

/**
 * XEP-0447 §3.1 offer, disposition attachment (§3.2: not fetched without
 * the user's consent), with the oob URL and body fallback, and a receipt
 * request like every chat message (XEP-0184 §7).
 */
export function fileOfferStanza(offer: OutgoingOffer): XmlElement {
  return xml(
    "message",
    { type: "chat", to: offer.to, id: offer.id },
    xml(
      "file-sharing",
      { xmlns: NS_SFS, disposition: "attachment" },
      fileMetadataElement(offer),
      xml(
        "sources",
        {},
        xml("url-data", { xmlns: NS_URL_DATA, target: offer.url }),
      ),
    ),
    xml("x", { xmlns: NS_OOB }, xml("url", {}, offer.url)),
    xml("body", {}, offer.url),
    xml("request", { xmlns: NS_RECEIPTS }),
  );
}

// The condition says why; whoever reads these errors drops the stanza
// (file_incoming.ts, chat_incoming.ts), so no sentence is built for them.
function invalid(condition: string): ParseError {
  return new ParseError(condition);
}

/** The name a URL's last path segment gives, sanitised; "file" if none. */
export function nameFromUrl(href: string): string {
  const segment = new URL(href).pathname.split("/").pop() ?? "";
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape (%E0%A4%A) is shown as written.
  }
  return sanitizeFileName(decoded);
}

function firstUrl(
  candidates: readonly (string | undefined)[],
  allowHttp: boolean,
): string | ParseError {
  for (const candidate of candidates) {
    const check = checkFileUrl(candidate, allowHttp);
    if (check.ok) return check.href;
  }
  return invalid("bad-url");
}

function sfsUrls(sharing: XmlElement): (string | undefined)[] {
  const sources = sharing.getChild("sources");
  if (sources === undefined) return [];
  return sources.getChildren("url-data", NS_URL_DATA).slice(0, 8)
    .map((source) => source.attrs.target);
}

function oobUrl(stanza: XmlElement): string | undefined {
  return stanza.getChild("x", NS_OOB)?.getChildText("url") ?? undefined;
}

function offerOf(
  base: Pick<FileOffer, "id" | "from">,
  metadata: FileMetadata,
  url: string,
  kind: FileOffer["kind"],
): FileOffer {
  return {
    ...base,
    name: metadata.name ?? nameFromUrl(url),
    mediaType: metadata.mediaType,
    url,
    kind,
    ...(metadata.size === undefined ? {} : { size: metadata.size }),
    ...(metadata.sha256 === undefined ? {} : { sha256: metadata.sha256 }),
  };
}

/**
 * Whether `stanza` has what an offer needs (an XEP-0447 element or an
 * XEP-0066 URL), without reading it: every chat message is asked, and a
 * plain one must not pay for a ParseError (and its stack) to say no.
 */
export function mayBeFileOffer(stanza: XmlElement): boolean {
  return stanza.getChild("file-sharing", NS_SFS) !== undefined ||
    stanza.getChild("x", NS_OOB) !== undefined;
}

/**
 * Whether the offer's <body> says more than its URL: XEP-0066 §3's own
 * example is a remark with the link beside it, not the link again. Those
 * are the sender's words, so the chat shows them as a message and the card
 * beside it; a body that only repeats the URL (every HTTP-upload client,
 * and XEP-0447 §3.1's fallback) would show the link twice, so it is none.
 */
export function offerHasText(stanza: XmlElement, offer: FileOffer): boolean {
  const body = stanza.getChildText("body")?.trim();
  return !!body && body !== offer.url && body !== oobUrl(stanza)?.trim();
}

/**
 * The file offer in a chat or normal message from a user, or a ParseError
 * (not an offer, or one we refuse). Without a SHA-256 the bytes cannot be
 * checked: XEP-0447 §5 has an http source ignored then, whatever
 * `allowHttp` says. A bare oob link (XEP-0066 has no such rule) follows
 * `allowHttp` alone: it is true only beside a chat server that is itself
 * plain http or on loopback, whose offers travel as openly as the file, so
 * a checksum in them would stop no one who can change the file; refusing
 * would only lock out the other clients on that server.
 */
export function parseFileOffer(
  stanza: XmlElement,
  options: OfferOptions,
): FileOffer | ParseError {
  const from = userMessageSender(stanza);
  if (from instanceof ParseError) return from;
  const id = stanza.attrs.id;
  const sharing = stanza.getChild("file-sharing", NS_SFS);
  const oob = oobUrl(stanza);
  if (sharing === undefined && oob === undefined) {
    return invalid("not-offer");
  }
  if (!isStanzaId(id)) {
    return invalid("no-id");
  }
  const base = { id, from };
  if (sharing === undefined) {
    const url = firstUrl([oob], options.allowHttp);
    if (url instanceof ParseError) return url;
    return offerOf(base, { mediaType: DEFAULT_MEDIA_TYPE }, url, "oob");
  }
  const metadata = parseFileMetadata(
    sharing.getChild("file", NS_FILE_METADATA),
  );
  if (metadata instanceof ParseError) return metadata;
  const allowHttp = options.allowHttp && metadata.sha256 !== undefined;
  // XEP-0447 §3.1: the sources are the offer; the oob URL only repeats one.
  const url = firstUrl([...sfsUrls(sharing), oob], allowHttp);
  if (url instanceof ParseError) return url;
  return offerOf(base, metadata, url, "sfs");
}
