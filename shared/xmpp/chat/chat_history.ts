// The session's chats as text for sessionStorage, and back: a small index
// (which chats are open, in what order, which is active, their unread
// counts) and one text per chat with messages, so a change to one chat
// rewrites that chat only and a tab switch only the index. Written by us,
// but read back as untrusted input: another script on the page, an older
// build or a full disk can leave anything under the keys, so every field is
// checked and whatever does not fit is dropped; reading never throws.
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import { CONDITION } from "../router/iq_reply.ts";
import type {
  ChatMessage,
  ChatMessageError,
  Conversation,
  MessageState,
} from "./chat_model.ts";
import {
  CHAT_LIMITS,
  type ChatsState,
  EMPTY_CHATS,
  emptyConversation,
} from "./chat_state.ts";
import { MESSAGE_LIMITS } from "./message_parser.ts";
import { cleanBody } from "./message_text.ts";
import { isStanzaId } from "./receipt_parser.ts";
import { newestWithin } from "./storage_writer.ts";

const VERSION = 2;

/** The index, per account: another agent signing in never sees it. */
export function historyKey(bareJid: string): string {
  return `desktop-chat:chats:v${VERSION}:${bareJid}`;
}

/** The messages of the account's chat with `jid`. */
export function chatKey(bareJid: string, jid: string): string {
  return `${historyKey(bareJid)}:${jid}`;
}

// The stored shape: short names, since the storage budget counts characters.
interface StoredMessage {
  readonly i: string;
  readonly d: "in" | "out";
  readonly r?: string;
  readonly b: string;
  readonly t: number;
  readonly s: MessageState;
  readonly e?: { readonly c: string; readonly x?: string };
}

// Messages never change in place (a new state is a new object), so each is
// serialized once, however often the history is written.
const serialized = new WeakMap<ChatMessage, string>();

function storedMessage(message: ChatMessage): string {
  let text = serialized.get(message);
  if (text === undefined) {
    text = serialize(message);
    serialized.set(message, text);
  }
  return text;
}

function serialize(message: ChatMessage): string {
  const stored: StoredMessage = {
    i: message.id,
    d: message.direction,
    ...(message.resource === undefined ? {} : { r: message.resource }),
    b: message.body,
    t: message.at,
    s: message.state,
    ...(message.error === undefined ? {} : {
      e: message.error.text === undefined
        ? { c: message.error.condition }
        : { c: message.error.condition, x: message.error.text },
    }),
  };
  return JSON.stringify(stored);
}

/** The index: open chats in order, the active one, unread counts. */
export function writeIndex(state: ChatsState): string {
  return JSON.stringify({
    v: VERSION,
    ...(state.active === undefined ? {} : { a: state.active }),
    c: state.open.map((jid) => ({
      j: jid,
      u: state.conversations.get(jid)?.unread ?? 0,
    })),
  });
}

/** Whether `conversation` needs a text of its own (writeChat). */
export function hasChatText(conversation: Conversation): boolean {
  return conversation.messages.length > 0 || conversation.nick !== undefined;
}

/**
 * The chat's nickname and messages as at most `budget` characters: when
 * they do not fit, the oldest messages go first. The chat is not touched.
 */
export function writeChat(conversation: Conversation, budget: number): string {
  const head = JSON.stringify({
    v: VERSION,
    j: conversation.jid,
    ...(conversation.nick === undefined ? {} : { n: conversation.nick }),
  });
  // The chat costs its head and the `,"m":[]` around its messages.
  const messages = newestWithin(
    conversation.messages.map(storedMessage),
    budget - head.length - 7,
  );
  return `${head.slice(0, -1)},"m":[${messages}]}`;
}

export type Json = Record<string, unknown>;

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const STATES: ReadonlySet<unknown> = new Set([
  "pending",
  "sent",
  "delivered",
  "failed",
]);

function readError(value: unknown): ChatMessageError | undefined {
  if (!isObject(value) || typeof value.c !== "string") return undefined;
  if (!CONDITION.test(value.c)) return undefined;
  const text = typeof value.x === "string" ? cleanText(value.x, 500) : "";
  return text === "" ? { condition: value.c } : { condition: value.c, text };
}

function readMessage(value: unknown): ChatMessage | undefined {
  if (!isObject(value)) return undefined;
  const { i, d, r, b, t, s } = value;
  if (!isStanzaId(i)) return;
  if (d !== "in" && d !== "out") return undefined;
  if (typeof b !== "string" || typeof t !== "number" || !Number.isFinite(t)) {
    return undefined;
  }
  if (!STATES.has(s)) return undefined;
  const body = cleanBody(b, MESSAGE_LIMITS.bodyLength);
  if (body === "") return undefined;
  const resource = typeof r === "string" && r !== "" && r.length <= 1023
    ? cleanText(r, 1023)
    : "";
  let state = s as MessageState;
  let error = readError(value.e);
  // Incoming messages are always "delivered" (chat_model.ts).
  if (d === "in") {
    state = "delivered";
    error = undefined;
  } else if (state === "pending") {
    // It was on its way when the page went: whether it left is unknown,
    // so the agent is offered Retry (same id: a receiver that got it
    // already shows it once).
    state = "failed";
    error = { condition: "connection-lost" };
  } else if (state !== "failed") error = undefined;
  return {
    id: i,
    direction: d,
    ...(resource === "" ? {} : { resource }),
    body,
    at: t,
    state,
    ...(error === undefined ? {} : { error }),
  };
}

function readMessages(value: Json): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const ids = new Set<string>();
  const stored = Array.isArray(value.m) ? value.m : [];
  for (const item of stored.slice(-CHAT_LIMITS.messages)) {
    const message = readMessage(item);
    if (message === undefined || ids.has(message.id)) continue;
    ids.add(message.id);
    messages.push(message);
  }
  return messages;
}

function indexedJid(value: unknown): string | undefined {
  if (!isObject(value) || typeof value.j !== "string") return undefined;
  const jid = parseBareJid(value.j);
  return jid instanceof ParseError || jid !== value.j ? undefined : jid;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    return new ParseError("bad-history", "The stored chats are not JSON.", {
      cause,
    });
  }
}

/** The chat `jid` of the index: its own text gives nickname and messages. */
function readConversation(
  entry: Json,
  jid: string,
  text: string | null,
): { conversation: Conversation; problem?: ParseError } {
  const value = text === null ? {} : parse(text);
  if (value instanceof ParseError) {
    return { conversation: emptyConversation(jid), problem: value };
  }
  if (
    text !== null &&
    (!isObject(value) || value.v !== VERSION || value.j !== jid)
  ) {
    return {
      conversation: emptyConversation(jid),
      problem: new ParseError("bad-history", "A stored chat is unreadable."),
    };
  }
  const chat = value as Json;
  const messages = readMessages(chat);
  const incoming = messages.filter((one) => one.direction === "in").length;
  const unread = Number.isSafeInteger(entry.u) && (entry.u as number) > 0
    ? Math.min(entry.u as number, incoming)
    : 0;
  const nick = typeof chat.n === "string" ? cleanText(chat.n, 128) : "";
  return {
    conversation: nick === ""
      ? { jid, messages, unread }
      : { jid, messages, unread, nick },
  };
}

/**
 * The chats stored as `index` (null: none stored), each chat's text got
 * from `chatText` (null: none, a chat without messages). Anything
 * unreadable gives an empty state, or an empty chat, and a ParseError to
 * log; a partly corrupt history keeps what is sound.
 */
export function readHistory(
  index: string | null,
  chatText: (jid: string) => string | null,
): { state: ChatsState; problem?: ParseError } {
  if (index === null) return { state: EMPTY_CHATS };
  const value = parse(index);
  if (value instanceof ParseError) {
    return { state: EMPTY_CHATS, problem: value };
  }
  if (!isObject(value) || value.v !== VERSION || !Array.isArray(value.c)) {
    return {
      state: EMPTY_CHATS,
      problem: new ParseError(
        "bad-history",
        "The stored chats are unreadable.",
      ),
    };
  }
  const conversations = new Map<string, Conversation>();
  let problem: ParseError | undefined;
  for (const entry of value.c.slice(0, CHAT_LIMITS.openChats)) {
    const jid = indexedJid(entry);
    if (jid === undefined || conversations.has(jid)) continue;
    const read = readConversation(entry as Json, jid, chatText(jid));
    problem ??= read.problem;
    conversations.set(jid, read.conversation);
  }
  const open = [...conversations.keys()];
  const active = typeof value.a === "string" && conversations.has(value.a)
    ? value.a
    : open[0];
  const state: ChatsState = {
    ...EMPTY_CHATS,
    conversations,
    open,
    ...(active === undefined ? {} : { active }),
  };
  return problem === undefined ? { state } : { state, problem };
}
