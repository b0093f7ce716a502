// A message bounced with type='error' (RFC 6120 §8.3): which of our
// messages it concerns (by id, §8.3.1) and why (the defined condition and
// the optional text, §8.3.2).
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { type Jid, parseJid } from "../core/jid_parse.ts";
import { errorCondition, NS_STANZAS } from "../router/iq_reply.ts";
import type { ChatMessageError } from "./chat_model.ts";
import { isStanzaId } from "./receipt_parser.ts";

/** Bound on the error text shown beside the message. */
const ERROR_TEXT_LENGTH = 500;

export interface MessageBounce {
  /** Who the bounced message was for (RFC 6120 §8.3.1: the error's from). */
  readonly from: Jid;
  /** The id of our message (RFC 6120 §8.3.1: the error keeps it). */
  readonly id: string;
  readonly error: ChatMessageError;
}

export function parseMessageError(
  stanza: XmlElement,
): MessageBounce | ParseError {
  if (!stanza.is("message") || stanza.attrs.type !== "error") {
    return new ParseError("not-error", "Not an error message.");
  }
  const from = parseJid(stanza.attrs.from);
  if (from instanceof ParseError) return from;
  const id = stanza.attrs.id;
  if (!isStanzaId(id)) {
    return new ParseError(
      "bad-error",
      "An error message did not name the message it concerns.",
    );
  }
  const error = stanza.getChild("error");
  const condition = errorCondition(error);
  const text = cleanText(
    error?.getChildText("text", NS_STANZAS) ?? "",
    ERROR_TEXT_LENGTH,
  );
  return {
    from,
    id,
    error: text === "" ? { condition } : { condition, text },
  };
}
