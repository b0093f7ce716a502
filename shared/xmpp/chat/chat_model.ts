// The agent's one-to-one conversations as the views see them (seed: "Chat
// Window"): one conversation per bare JID, messages as data, unread counts
// and the contact's chat state (XEP-0085). Read-only signals and named verbs;
// how a stanza changes a conversation is the pure handlers' business
// (chat_*.ts), how it is kept across a refresh is chat_history.ts's.
import type { ReadonlySignal } from "@preact/signals-core";

/**
 * pending: handed to the connection; sent: the connection's send()
 * resolved, i.e. the transport took it (written to the WebSocket, or queued
 * into the BOSH session); it is not yet known to have reached the server
 * and still turns failed if the session ends with it unsent (the
 * connection's `unsent` report). A copy of a message the agent sent from
 * another client (XEP-0280) is "sent" too: the server made the copy.
 * delivered: the contact's client acknowledged it (XEP-0184 §7 receipt
 * with its id); failed: the send rejected, it was reported unsent, or it
 * bounced with a `type='error'` message (RFC 6120 §8.3). Incoming messages
 * are always "delivered".
 */
export type MessageState = "pending" | "sent" | "delivered" | "failed";

export type MessageDirection = "in" | "out";

/** XEP-0085 §2.1 chat states. */
export type ChatState = "active" | "composing" | "paused" | "inactive" | "gone";

export interface ChatMessage {
  /**
   * The stanza id: ours for outgoing (XEP-0184 §5 needs one), the sender's
   * for incoming (a generated one when it sent none).
   */
  readonly id: string;
  readonly direction: MessageDirection;
  /**
   * The resource it came from (incoming) or, for a message the agent sent
   * from another client (XEP-0280 carbon), that client's resource.
   */
  readonly resource?: string;
  /** Plain text, control characters removed, never markup. */
  readonly body: string;
  /** Milliseconds since the epoch (XEP-0203 delay stamp when present). */
  readonly at: number;
  readonly state: MessageState;
  /** Why it failed, for the view to word (RFC 6120 §8.3.3 condition + text). */
  readonly error?: ChatMessageError;
}

export interface ChatMessageError {
  /** "connection-lost" when it never left; else the stanza error condition. */
  readonly condition: string;
  readonly text?: string;
}

export interface Conversation {
  /** Bare JID, lower-case. */
  readonly jid: string;
  /** Oldest first. Bounded (CHAT_LIMITS in chat_state.ts). */
  readonly messages: readonly ChatMessage[];
  /** Incoming messages since the agent last viewed this chat. */
  readonly unread: number;
  /** The contact's last chat state (XEP-0085), undefined until one came. */
  readonly theirState?: ChatState;
  /** XEP-0172 nickname the contact offered, if any. */
  readonly nick?: string;
}

/** What the views are told when a message from a contact arrives. */
export interface IncomingMessage {
  readonly jid: string;
  /** Not in the conversation when `file` is set (its body is empty). */
  readonly message: ChatMessage;
  /** A file offer (files/file_offer.ts), shown by the files store's card. */
  readonly file?: { readonly name: string };
}

export interface ChatsModel {
  /** Bare JIDs of the open chats, in the order they were opened (the tabs). */
  readonly open: ReadonlySignal<readonly string[]>;
  /** The chat shown in the window, if any. */
  readonly active: ReadonlySignal<string | undefined>;
  /** How many open chats have unread messages (seed: minimised header). */
  readonly unreadChats: ReadonlySignal<number>;
  /** Live conversation of one bare JID; the same signal for the same JID. */
  conversation(jid: string): ReadonlySignal<Conversation>;
  /** Opens (or brings forward) the chat with `jid` and makes it active. */
  openChat(jid: string): void;
  /**
   * Sets the chat the agent is looking at (undefined: window minimised or
   * hidden); while viewed its unread count stays 0.
   */
  view(jid: string | undefined): void;
  /** Closes one chat: sends `gone` (XEP-0085 §5.3), drops its messages. */
  closeChat(jid: string): void;
  closeAll(): void;
  /** Sends a message (with `active` and a receipt request). */
  send(jid: string, body: string): Promise<void>;
  /** Sends a failed message again, keeping its place and id. */
  retry(jid: string, id: string): Promise<void>;
  /**
   * The composer of `jid` changed to `draft`: `composing` goes once while
   * there is text, `paused` after 5 s without typing, `active` once the
   * draft is emptied (XEP-0085 §5.2).
   */
  typing(jid: string, draft: string): void;
  /** Every incoming message with a body, after it is in its conversation. */
  onIncoming(listener: (incoming: IncomingMessage) => void): () => void;
}
