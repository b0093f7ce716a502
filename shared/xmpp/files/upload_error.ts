// XEP-0363 §5: why the upload service refused a slot, as a typed reason
// the sender's view words ("the chat server takes files up to 20 kB").
// Read from the <error/> element of the iq error (RFC 6120 §8.3), with the
// §5 application elements when the service sent them. The view words each
// reason itself, so neither the service's <text/> nor a quota's <retry
// stamp/> is kept.
import type { XmlElement } from "../core/connection.ts";
import type { StanzaError } from "../core/errors.ts";
import { errorCondition } from "../router/iq_reply.ts";
import { NS_HTTP_UPLOAD } from "./upload_slot.ts";

export type SlotRefusal =
  /** §5 file-too-large; `maxBytes` when the service said its limit. */
  | { readonly reason: "too-large"; readonly maxBytes?: number }
  /** §5 temporary: quota, error type wait, or a <retry/>. */
  | { readonly reason: "quota" }
  /** not-allowed or forbidden: this account may not upload. */
  | { readonly reason: "not-allowed" }
  /** Any other condition, kept for the log and a generic message. */
  | { readonly reason: "other"; readonly condition: string };

export interface SlotError {
  readonly refusal: SlotRefusal;
}

const SIZE = /^\d{1,16}$/;

function maxBytes(tooLarge: XmlElement): number | undefined {
  const text = tooLarge.getChildText("max-file-size")?.trim();
  if (text === undefined || !SIZE.test(text)) return undefined;
  const size = Number(text);
  return Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

function refusalOf(error: XmlElement | undefined): SlotRefusal {
  const tooLarge = error?.getChild("file-too-large", NS_HTTP_UPLOAD);
  if (tooLarge !== undefined) {
    const limit = maxBytes(tooLarge);
    return limit === undefined
      ? { reason: "too-large" }
      : { reason: "too-large", maxBytes: limit };
  }
  const name = errorCondition(error);
  // §5: a quota is temporary: type wait, resource-constraint, or a retry.
  if (
    error?.getChild("retry", NS_HTTP_UPLOAD) !== undefined ||
    error?.attrs.type === "wait" || name === "resource-constraint"
  ) return { reason: "quota" };
  if (name === "not-allowed" || name === "forbidden") {
    return { reason: "not-allowed" };
  }
  return { reason: "other", condition: name };
}

/**
 * The refusal in `stanza`: an iq of type error, or its <error/> child as
 * xmpp.js hands it (StanzaError.element). Never throws.
 */
export function parseSlotError(stanza: XmlElement): SlotError {
  return {
    refusal: refusalOf(
      stanza.name === "error" ? stanza : stanza.getChild("error"),
    ),
  };
}

function isElement(value: unknown): value is XmlElement {
  if (typeof value !== "object" || value === null) return false;
  const element = value as Partial<XmlElement>;
  return typeof element.name === "string" &&
    typeof element.getChild === "function" &&
    typeof element.getChildElements === "function";
}

/**
 * The refusal behind the StanzaError a connection's iq() rejected with.
 * The real client keeps xmpp.js's error as `cause`, whose `element` is the
 * <error/> with the §5 details; without it (a fake connection, another
 * transport) the condition and type say as much as they can.
 */
export function slotErrorOf(error: StanzaError): SlotError {
  const cause: unknown = error.cause;
  const element = typeof cause === "object" && cause !== null
    ? (cause as { element?: unknown }).element
    : undefined;
  if (isElement(element)) return parseSlotError(element);
  return {
    refusal: error.type === "wait" || error.condition === "resource-constraint"
      ? { reason: "quota" }
      : error.condition === "not-allowed" || error.condition === "forbidden"
      ? { reason: "not-allowed" }
      : { reason: "other", condition: error.condition },
  };
}
