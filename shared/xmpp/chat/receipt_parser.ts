// XEP-0184 message delivery receipts read from a message: whether the
// sender asks for one, and which of our messages it acknowledges.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";

export const NS_RECEIPTS = "urn:xmpp:receipts";

/** Stanza ids longer than this are not ours and not worth keeping. */
export const MAX_ID_LENGTH = 256;

// Controls, lone surrogates and non-characters cannot go in an XML
// attribute (XML 1.0 §2.2): an id with one, read back from storage, would
// break the stanza that names it.
const NOT_XML = /[\p{Cc}\ud800-\udfff\ufffe\uffff]/u;

/** A stanza id we take and can name again: 1 to MAX_ID_LENGTH of XML text. */
export function isStanzaId(value: unknown): value is string {
  return typeof value === "string" && value !== "" &&
    value.length <= MAX_ID_LENGTH && !NOT_XML.test(value);
}

export interface Receipt {
  /** XEP-0184 §7: the sender asks for a receipt. */
  readonly request: boolean;
  /** XEP-0184 §7: the id of the message this acknowledges. */
  readonly receivedId?: string;
}

export const NO_RECEIPT: Receipt = { request: false };

export function parseReceipt(stanza: XmlElement): Receipt | ParseError {
  const request = stanza.getChild("request", NS_RECEIPTS) !== undefined;
  const received = stanza.getChild("received", NS_RECEIPTS);
  if (received === undefined) return request ? { request } : NO_RECEIPT;
  // XEP-0184 §5.4: an ack message never asks for a receipt of its own,
  // which would start an endless exchange.
  if (request) {
    return new ParseError(
      "bad-receipt",
      "A receipt asked for a receipt (XEP-0184 §5.4).",
    );
  }
  const id = received.attrs.id;
  if (!isStanzaId(id)) {
    return new ParseError(
      "bad-receipt",
      "A receipt did not name the message it acknowledges (XEP-0184 §7).",
    );
  }
  return { request: false, receivedId: id };
}
