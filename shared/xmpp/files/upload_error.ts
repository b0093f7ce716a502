// XEP-0363 §5: why the upload service refused a slot, as a typed reason
// the sender's view words ("The file is larger than the server allows
// (20 kB)."). Read from the <error/> element of the iq error (RFC 6120
// §8.3), with the §5 application elements when the service sent them.
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import type { StanzaError } from "../core/errors.ts";
import { NS_STANZAS } from "../router/iq_reply.ts";
import { NS_HTTP_UPLOAD } from "./upload_slot.ts";

export type SlotRefusal =
  /** §5 file-too-large; `maxBytes` when the service said its limit. */
  | { readonly reason: "too-large"; readonly maxBytes?: number }
  /** §5 temporary (quota, error type wait); `retryAt` from <retry stamp/>. */
  | { readonly reason: "quota"; readonly retryAt?: number }
  /** not-allowed or forbidden: this account may not upload. */
  | { readonly reason: "not-allowed" }
  /** Any other condition, kept for the log and a generic message. */
  | { readonly reason: "other"; readonly condition: string };

export interface SlotError {
  readonly refusal: SlotRefusal;
  /** The service's own words (RFC 6120 §8.3.2 <text/>), cleaned. */
  readonly text?: string;
}

const TEXT_LENGTH = 300;
const SIZE = /^\d{1,16}$/;
// XEP-0082 §3.2 DateTime, which §5 requires for the stamp (in UTC).
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const CONDITION = /^[a-z][a-z-]{0,63}$/;

function condition(error: XmlElement | undefined): string {
  const name = error?.getChildElements().find((child) =>
    child.attrs.xmlns === NS_STANZAS && child.name !== "text"
  )?.name;
  return name !== undefined && CONDITION.test(name)
    ? name
    : "undefined-condition";
}

function maxBytes(tooLarge: XmlElement): number | undefined {
  const text = tooLarge.getChildText("max-file-size")?.trim();
  if (text === undefined || !SIZE.test(text)) return undefined;
  const size = Number(text);
  return Number.isSafeInteger(size) && size > 0 ? size : undefined;
}

function retryAt(retry: XmlElement | undefined): number | undefined {
  const stamp = retry?.attrs.stamp;
  if (stamp === undefined || !DATE_TIME.test(stamp)) return undefined;
  const at = Date.parse(stamp);
  return Number.isFinite(at) ? at : undefined;
}

function refusalOf(error: XmlElement | undefined): SlotRefusal {
  const tooLarge = error?.getChild("file-too-large", NS_HTTP_UPLOAD);
  if (tooLarge !== undefined) {
    const limit = maxBytes(tooLarge);
    return limit === undefined
      ? { reason: "too-large" }
      : { reason: "too-large", maxBytes: limit };
  }
  const name = condition(error);
  const retry = error?.getChild("retry", NS_HTTP_UPLOAD);
  // §5: a quota is temporary: type wait, resource-constraint, or a retry.
  if (
    retry !== undefined || error?.attrs.type === "wait" ||
    name === "resource-constraint"
  ) {
    const at = retryAt(retry);
    return at === undefined
      ? { reason: "quota" }
      : { reason: "quota", retryAt: at };
  }
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
  const error = stanza.name === "error" ? stanza : stanza.getChild("error");
  const text = cleanText(
    error?.getChildText("text", NS_STANZAS) ?? "",
    TEXT_LENGTH,
  );
  const refusal = refusalOf(error);
  return text === "" ? { refusal } : { refusal, text };
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
  const text = cleanText(error.text ?? "", TEXT_LENGTH);
  const refusal: SlotRefusal = error.type === "wait" ||
      error.condition === "resource-constraint"
    ? { reason: "quota" }
    : error.condition === "not-allowed" || error.condition === "forbidden"
    ? { reason: "not-allowed" }
    : { reason: "other", condition: error.condition };
  return text === "" ? { refusal } : { refusal, text };
}
