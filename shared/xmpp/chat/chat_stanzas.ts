// The stanzas the chat sends, built in one place so the handlers, the store
// and the tests agree on them.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import type { ChatState } from "./chat_model.ts";
import { NS_CARBONS } from "./carbon_parser.ts";
import { NS_CHATSTATES } from "./chat_state_parser.ts";
import { NS_RECEIPTS } from "./receipt_parser.ts";

/** XEP-0334 §4: hints that a standalone chat state need not be stored. */
export const NS_HINTS = "urn:xmpp:hints";

export interface OutgoingMessage {
  readonly to: string;
  readonly id: string;
  readonly body: string;
  /** XEP-0085 §5.1: false once the contact showed it ignores chat states. */
  readonly withChatState: boolean;
}

/**
 * A content message (RFC 6121 §5.2.2 type chat) with `active` (XEP-0085
 * §5.1: the sender is engaged, sent with every content message) and a
 * receipt request (XEP-0184 §7, which needs the id).
 */
export function chatMessageStanza(message: OutgoingMessage): XmlElement {
  return xml(
    "message",
    { type: "chat", to: message.to, id: message.id },
    xml("body", {}, message.body),
    message.withChatState ? xml("active", { xmlns: NS_CHATSTATES }) : undefined,
    xml("request", { xmlns: NS_RECEIPTS }),
  );
}

/**
 * A standalone chat state notification (XEP-0085 §5.5: no body); XEP-0334
 * `no-store` keeps it out of offline storage and archives, where a stale
 * "composing" means nothing.
 */
export function chatStateStanza(to: string, state: ChatState): XmlElement {
  return xml(
    "message",
    { type: "chat", to },
    xml(state, { xmlns: NS_CHATSTATES }),
    xml("no-store", { xmlns: NS_HINTS }),
  );
}

/**
 * XEP-0184 §7: the ack message, to the full JID that asked, echoing the id
 * of the content message; of the same type, so it is routed (and carbon
 * copied, XEP-0280) as the chat it answers.
 */
export function receiptStanza(
  to: string,
  type: string,
  ackOf: string,
): XmlElement {
  return xml(
    "message",
    { to, type },
    xml("received", { xmlns: NS_RECEIPTS, id: ackOf }),
  );
}

/** XEP-0280 §4: enables carbons for this session. */
export function enableCarbonsStanza(): XmlElement {
  return xml("iq", { type: "set" }, xml("enable", { xmlns: NS_CARBONS }));
}
