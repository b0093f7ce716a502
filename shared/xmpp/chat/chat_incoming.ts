// The pure handler of every incoming message stanza: stanza + conversations
// in, new conversations + effects (a receipt to send, a message to notify)
// out. Direct messages, carbons (XEP-0280) and bounces (RFC 6120 §8.3) all
// come through here; the store only feeds it and carries out the effects.
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import type { ChatMessage, IncomingMessage } from "./chat_model.ts";
import { parseCarbon } from "./carbon_parser.ts";
import {
  addMessage,
  type ChatsState,
  noteChatStates,
  openChat,
  setMessageState,
  updateConversation,
} from "./chat_state.ts";
import { receiptStanza } from "./chat_stanzas.ts";
import { parseMessageError } from "./message_error_parser.ts";
import { type ParsedMessage, parseMessage } from "./message_parser.ts";
import {
  type FileOffer,
  mayBeFileOffer,
  offerHasText,
  parseFileOffer,
} from "../files/file_offer.ts";

export interface IncomingContext {
  /** The agent's bare JID, lower-case. */
  readonly ownBareJid: string;
  /** Milliseconds since the epoch, now. */
  readonly now: number;
  /**
   * XEP-0184 §8: a receipt tells the sender we are online, so only those
   * allowed to see our presence (subscription from or both) get one.
   */
  readonly mayAnswerReceipt: (bareJid: string) => boolean;
  /** An id for a message that came without one. */
  readonly newId: () => string;
}

export type ChatEffect =
  | { readonly type: "send"; readonly stanza: XmlElement }
  | { readonly type: "incoming"; readonly incoming: IncomingMessage };

export interface ChatOutcome {
  readonly state: ChatsState;
  readonly effects: readonly ChatEffect[];
  /** Why the stanza changed nothing, when it was refused (e.g. forged). */
  readonly rejected?: ParseError;
}

const NOTHING: readonly ChatEffect[] = [];

function unchanged(state: ChatsState, rejected?: ParseError): ChatOutcome {
  return rejected === undefined
    ? { state, effects: NOTHING }
    : { state, effects: NOTHING, rejected };
}

export function handleMessage(
  state: ChatsState,
  stanza: XmlElement,
  context: IncomingContext,
): ChatOutcome {
  if (!stanza.is("message")) return unchanged(state);
  if (stanza.attrs.type === "error") return handleBounce(state, stanza);
  const carbon = parseCarbon(stanza, context.ownBareJid);
  if (carbon instanceof ParseError) return unchanged(state, carbon);
  if (carbon !== undefined) {
    if (carriesOffer(carbon.message)) return unchanged(state);
    const inner = parseMessage(carbon.message);
    if (inner instanceof ParseError) return unchanged(state, inner);
    const at = inner.at ?? carbon.at;
    return carbon.direction === "sent"
      ? handleSentCarbon(state, inner, at, context)
      : handlePeerMessage(state, inner, at, context, false);
  }
  const parsed = parseMessage(stanza);
  if (parsed instanceof ParseError) return unchanged(state, parsed);
  // The agent's own other clients reach us only as carbons (above).
  if (parsed.from.bare === context.ownBareJid) return unchanged(state);
  const offer = readOffer(stanza);
  // A body with more than the offer's URL is the sender's words: chat text,
  // with the files store's card beside it (offerHasText says why).
  if (offer !== undefined && !offerHasText(stanza, offer)) {
    return handleOffer(state, parsed, offer.name, context);
  }
  return handlePeerMessage(state, parsed, parsed.at, context, true);
}

/**
 * A file offer (XEP-0447, or a bare XEP-0066 link) is the files store's
 * (files/file_transfers.ts): its body is only the fallback link XEP-0447
 * §3.1 asks for, so it is no chat text. Read as permissively as any
 * server could make the files store read it.
 */
function carriesOffer(stanza: XmlElement): boolean {
  return readOffer(stanza) !== undefined;
}

function readOffer(stanza: XmlElement): FileOffer | undefined {
  if (!mayBeFileOffer(stanza)) return undefined;
  const offer = parseFileOffer(stanza, { allowHttp: true });
  return offer instanceof ParseError ? undefined : offer;
}

/**
 * An offer opens the contact's chat as a tab, like a message, and is told
 * to the views as an incoming file (so the window pops and alerts as the
 * seed wants for a message) without becoming chat text: the card is the
 * files store's. XEP-0184 §5.4: an offer is a content message, so its
 * receipt request is answered as a chat message's would be (§8: only to
 * who sees our presence).
 */
function handleOffer(
  state: ChatsState,
  parsed: ParsedMessage,
  name: string,
  context: IncomingContext,
): ChatOutcome {
  const peer = parsed.from.bare;
  const message = receivedMessage(parsed, "", parsed.at, context);
  const effects: ChatEffect[] = [{
    type: "incoming",
    incoming: { jid: peer, message, file: { name } },
  }];
  if (
    parsed.receipt.request && parsed.id !== undefined &&
    context.mayAnswerReceipt(peer)
  ) {
    const to = parsed.from.resource === undefined
      ? peer
      : `${peer}/${parsed.from.resource}`;
    effects.push({
      type: "send",
      stanza: receiptStanza(to, parsed.type, parsed.id),
    });
  }
  return { state: openChat(state, peer, false), effects };
}

/** RFC 6120 §8.3: our message `id` to `from` bounced; it failed. */
function handleBounce(state: ChatsState, stanza: XmlElement): ChatOutcome {
  const bounce = parseMessageError(stanza);
  if (bounce instanceof ParseError) return unchanged(state, bounce);
  return {
    state: setMessageState(
      state,
      bounce.from.bare,
      bounce.id,
      "failed",
      bounce.error,
    ),
    effects: NOTHING,
  };
}

/** A stamp in the future is not believed (it would date a message ahead). */
/** A message from the contact, as the conversation keeps it. */
function receivedMessage(
  parsed: ParsedMessage,
  body: string,
  at: number | undefined,
  context: IncomingContext,
): ChatMessage {
  return {
    id: parsed.id ?? context.newId(),
    direction: "in",
    ...(parsed.from.resource === undefined
      ? {}
      : { resource: parsed.from.resource }),
    body,
    at: dated(at, context.now),
    state: "delivered",
  };
}

function dated(at: number | undefined, now: number): number {
  return at === undefined || at > now ? now : at;
}

/**
 * A message from a contact, direct or as a carbon of one our other client
 * received (`direct` false: that client answers its receipt request).
 */
function handlePeerMessage(
  state: ChatsState,
  parsed: ParsedMessage,
  at: number | undefined,
  context: IncomingContext,
  direct: boolean,
): ChatOutcome {
  const peer = parsed.from.bare;
  if (peer === context.ownBareJid) return unchanged(state);
  // A carbon of a message received elsewhere was addressed to us.
  if (!direct && parsed.to?.bare !== context.ownBareJid) {
    return unchanged(
      state,
      new ParseError(
        "bad-carbon",
        "A received carbon was not addressed to us.",
      ),
    );
  }
  const effects: ChatEffect[] = [];
  let next = state;
  if (parsed.body !== undefined) next = openChat(next, peer, false);
  if (parsed.chatState !== undefined) next = noteChatStates(next, peer, true);
  // XEP-0085 §5.1: a reply without a chat state means none are wanted.
  else if (parsed.body !== undefined) next = noteChatStates(next, peer, false);
  if (parsed.receipt.receivedId !== undefined) {
    next = setMessageState(next, peer, parsed.receipt.receivedId, "delivered");
  }
  next = updateConversation(next, peer, (conversation) => {
    // A body without a state ends whatever typing was shown (§5.1: a
    // content message means the contact is active).
    const theirState = parsed.chatState ??
      (parsed.body !== undefined && conversation.theirState !== undefined
        ? "active"
        : conversation.theirState);
    const nick = parsed.nick ?? conversation.nick;
    if (theirState === conversation.theirState && nick === conversation.nick) {
      return conversation;
    }
    return {
      ...conversation,
      ...(theirState === undefined ? {} : { theirState }),
      ...(nick === undefined ? {} : { nick }),
    };
  });
  if (parsed.body !== undefined) {
    const message = receivedMessage(parsed, parsed.body, at, context);
    const added = addMessage(next, peer, message);
    if (added !== next) {
      effects.push({ type: "incoming", incoming: { jid: peer, message } });
    }
    next = added;
    // XEP-0184 §5.4 and §7: a content message with an id asking for a
    // receipt; answered once it is in the conversation.
    if (
      direct && parsed.receipt.request && parsed.id !== undefined &&
      context.mayAnswerReceipt(peer)
    ) {
      effects.push({
        type: "send",
        stanza: receiptStanza(
          `${peer}${
            parsed.from.resource === undefined ? "" : `/${parsed.from.resource}`
          }`,
          parsed.type,
          parsed.id,
        ),
      });
    }
  }
  return { state: next, effects };
}

/** XEP-0280: a message the agent sent from another client. */
function handleSentCarbon(
  state: ChatsState,
  parsed: ParsedMessage,
  at: number | undefined,
  context: IncomingContext,
): ChatOutcome {
  const peer = parsed.to?.bare;
  if (parsed.from.bare !== context.ownBareJid || peer === undefined) {
    return unchanged(
      state,
      new ParseError("bad-carbon", "A sent carbon was not from us to someone."),
    );
  }
  if (parsed.body === undefined || peer === context.ownBareJid) {
    return unchanged(state);
  }
  const message: ChatMessage = {
    id: parsed.id ?? context.newId(),
    direction: "out",
    ...(parsed.from.resource === undefined
      ? {}
      : { resource: parsed.from.resource }),
    body: parsed.body,
    at: dated(at, context.now),
    // The server had it: it made the copy.
    state: "sent",
  };
  return {
    state: addMessage(openChat(state, peer, false), peer, message),
    effects: NOTHING,
  };
}
