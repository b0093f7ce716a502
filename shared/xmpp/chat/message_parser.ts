// A one-to-one message (RFC 6121 §5) read as data: who sent it, its id, its
// body cleaned to text, when it was sent (XEP-0203), the nickname offered
// (XEP-0172), its chat state (XEP-0085) and receipt parts (XEP-0184). Never
// throws: anything it cannot use is a ParseError the handlers skip.
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { type Jid, parseJid } from "../core/jid_parse.ts";
import type { ChatState } from "./chat_model.ts";
import { parseChatState } from "./chat_state_parser.ts";
import { cleanBody } from "./message_text.ts";
import { isStanzaId, parseReceipt, type Receipt } from "./receipt_parser.ts";

export const NS_DELAY = "urn:xmpp:delay";
export const NS_NICK = "http://jabber.org/protocol/nick";

/** Bounds on what one message may bring in. */
export const MESSAGE_LIMITS = {
  /** Code points of a body; longer ones are cut. */
  bodyLength: 10_000,
  /** XEP-0172 nick, as recent_chats.ts keeps it. */
  nickLength: 128,
} as const;

export interface ParsedMessage {
  readonly type: "chat" | "normal";
  readonly from: Jid;
  readonly to?: Jid;
  /** Absent when the sender gave none or one too long to be an id. */
  readonly id?: string;
  /** Cleaned text; absent when there was none (a chat state or a receipt). */
  readonly body?: string;
  /** XEP-0203 stamp in ms since the epoch. */
  readonly at?: number;
  readonly nick?: string;
  readonly chatState?: ChatState;
  readonly receipt: Receipt;
}

// XEP-0082 §3.2 DateTime profile, which XEP-0203 §4 requires.
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The XEP-0203 stamp of `parent`'s <delay/>, when there is a valid one.
 * Several delays (one per hop, XEP-0203 §3) all date the same message;
 * the first valid one is taken.
 */
export function parseDelay(parent: XmlElement): number | undefined {
  for (const delay of parent.getChildren("delay", NS_DELAY)) {
    const stamp = delay.attrs.stamp;
    if (stamp === undefined || !DATE_TIME.test(stamp)) continue;
    const at = Date.parse(stamp);
    if (Number.isFinite(at)) return at;
  }
  return undefined;
}

/** RFC 6121 §5.2.3: several bodies differ in xml:lang; the default wins. */
function bodyText(stanza: XmlElement): string | undefined {
  const bodies = stanza.getChildren("body");
  if (bodies.length === 0) return undefined;
  const chosen = bodies.find((body) => body.attrs["xml:lang"] === undefined) ??
    bodies[0];
  const text = cleanBody(chosen.text(), MESSAGE_LIMITS.bodyLength);
  return text === "" ? undefined : text;
}

function invalid(condition: string, message: string): ParseError {
  return new ParseError(condition, message);
}

/**
 * The sender of a message of type chat or normal (RFC 6121 §5.2.2) from a
 * user (a JID with a local part): what a chat message, a file offer and a
 * file outcome all are. Error, groupchat and headline messages, and
 * messages without a sender, are refused here; error bounces have their own
 * reader (message_error_parser.ts).
 */
export function userMessageSender(stanza: XmlElement): Jid | ParseError {
  if (!stanza.is("message")) return invalid("not-message", "Not a message.");
  const type = stanza.attrs.type ?? "normal";
  if (type !== "chat" && type !== "normal") {
    return invalid("unsupported-type", `A ${type} message is not a chat.`);
  }
  const from = parseJid(stanza.attrs.from);
  if (from instanceof ParseError || from.local !== undefined) return from;
  return invalid("not-a-user", "A message from a server is not a chat.");
}

/** A chat or normal message from a user (userMessageSender), read. */
export function parseMessage(stanza: XmlElement): ParsedMessage | ParseError {
  const from = userMessageSender(stanza);
  if (from instanceof ParseError) return from;
  let to: Jid | undefined;
  if (stanza.attrs.to !== undefined) {
    const parsed = parseJid(stanza.attrs.to);
    if (parsed instanceof ParseError) return parsed;
    to = parsed;
  }
  const chatState = parseChatState(stanza);
  if (chatState instanceof ParseError) return chatState;
  const receipt = parseReceipt(stanza);
  if (receipt instanceof ParseError) return receipt;
  const rawId = stanza.attrs.id;
  const id = isStanzaId(rawId) ? rawId : undefined;
  const body = bodyText(stanza);
  const nick = cleanText(
    stanza.getChildText("nick", NS_NICK) ?? "",
    MESSAGE_LIMITS.nickLength,
  );
  const at = parseDelay(stanza);
  return {
    // userMessageSender let only these two through.
    type: stanza.attrs.type === "chat" ? "chat" : "normal",
    from,
    receipt,
    ...(to === undefined ? {} : { to }),
    ...(id === undefined ? {} : { id }),
    ...(body === undefined ? {} : { body }),
    ...(at === undefined ? {} : { at }),
    ...(nick === "" ? {} : { nick }),
    ...(chatState === undefined ? {} : { chatState }),
  };
}
