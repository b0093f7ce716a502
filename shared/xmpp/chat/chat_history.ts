// The session's chats as text for sessionStorage, and back. Written by us,
// but read back as untrusted input: another script on the page, an older
// build or a full disk can leave anything under the key, so every field is
// checked and whatever does not fit is dropped; reading never throws.
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import type {
  ChatMessage,
  ChatMessageError,
  Conversation,
  MessageState,
} from "./chat_model.ts";
import { CHAT_LIMITS, type ChatsState, EMPTY_CHATS } from "./chat_state.ts";
import { MESSAGE_LIMITS } from "./message_parser.ts";
import { cleanBody } from "./message_text.ts";
import { MAX_ID_LENGTH } from "./receipt_parser.ts";

const VERSION = 1;

/** Per account: another agent signing in in this tab never sees it. */
export function historyKey(bareJid: string): string {
  return `desktop-chat:chats:v${VERSION}:${bareJid}`;
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

/**
 * `state` as at most `budget` characters: when it does not fit, the oldest
 * messages of all chats go first (the chats themselves stay). The state
 * itself is not touched.
 */
export function writeHistory(state: ChatsState, budget: number): string {
  const chats = state.open.map((jid) => {
    const conversation = state.conversations.get(jid);
    const head = JSON.stringify({
      j: jid,
      u: conversation?.unread ?? 0,
      ...(conversation?.nick === undefined ? {} : { n: conversation.nick }),
    });
    const messages = (conversation?.messages ?? []).map((message) => ({
      at: message.at,
      text: storedMessage(message),
    }));
    return { head, messages, from: 0 };
  });
  const top = JSON.stringify({
    v: VERSION,
    ...(state.active === undefined ? {} : { a: state.active }),
  });
  // Each message costs its text and a comma; each chat its head, the
  // `"m":[...]` around its messages and a comma.
  let size = top.length + 8;
  for (const chat of chats) {
    size += chat.head.length + 8;
    for (const message of chat.messages) size += message.text.length + 1;
  }
  while (size > budget) {
    let oldest: (typeof chats)[number] | undefined;
    for (const chat of chats) {
      const first = chat.messages[chat.from];
      if (first === undefined) continue;
      if (oldest === undefined || first.at < oldest.messages[oldest.from].at) {
        oldest = chat;
      }
    }
    if (oldest === undefined) break;
    size -= oldest.messages[oldest.from].text.length + 1;
    oldest.from++;
  }
  const body = chats.map((chat) =>
    `${chat.head.slice(0, -1)},"m":[${
      chat.messages.slice(chat.from).map((message) => message.text).join(",")
    }]}`
  );
  return `${top.slice(0, -1)},"c":[${body.join(",")}]}`;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const STATES: ReadonlySet<unknown> = new Set([
  "pending",
  "sent",
  "delivered",
  "failed",
]);
const CONDITION = /^[a-z][a-z-]{0,63}$/;

function readError(value: unknown): ChatMessageError | undefined {
  if (!isObject(value) || typeof value.c !== "string") return undefined;
  if (!CONDITION.test(value.c)) return undefined;
  const text = typeof value.x === "string" ? cleanText(value.x, 500) : "";
  return text === "" ? { condition: value.c } : { condition: value.c, text };
}

function readMessage(value: unknown): ChatMessage | undefined {
  if (!isObject(value)) return undefined;
  const { i, d, r, b, t, s } = value;
  if (typeof i !== "string" || i === "" || i.length > MAX_ID_LENGTH) return;
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

function readConversation(value: unknown): Conversation | undefined {
  if (!isObject(value) || typeof value.j !== "string") return undefined;
  const jid = parseBareJid(value.j);
  if (jid instanceof ParseError || jid !== value.j) return undefined;
  const messages: ChatMessage[] = [];
  const ids = new Set<string>();
  const stored = Array.isArray(value.m) ? value.m : [];
  for (const item of stored.slice(-CHAT_LIMITS.messages)) {
    const message = readMessage(item);
    if (message === undefined || ids.has(message.id)) continue;
    ids.add(message.id);
    messages.push(message);
  }
  const incoming = messages.filter((one) => one.direction === "in").length;
  const unread = Number.isSafeInteger(value.u) && (value.u as number) > 0
    ? Math.min(value.u as number, incoming)
    : 0;
  const nick = typeof value.n === "string" ? cleanText(value.n, 128) : "";
  return nick === ""
    ? { jid, messages, unread }
    : { jid, messages, unread, nick };
}

/**
 * The chats stored as `text` (null: none stored). Anything unreadable gives
 * an empty state and a ParseError to log; a partly corrupt history keeps
 * what is sound.
 */
export function readHistory(
  text: string | null,
): { state: ChatsState; problem?: ParseError } {
  if (text === null) return { state: EMPTY_CHATS };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return {
      state: EMPTY_CHATS,
      problem: new ParseError("bad-history", "The stored chats are not JSON.", {
        cause,
      }),
    };
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
  for (const item of value.c.slice(0, CHAT_LIMITS.openChats)) {
    const conversation = readConversation(item);
    if (conversation !== undefined && !conversations.has(conversation.jid)) {
      conversations.set(conversation.jid, conversation);
    }
  }
  const open = [...conversations.keys()];
  const active = typeof value.a === "string" && conversations.has(value.a)
    ? value.a
    : open[0];
  return {
    state: {
      ...EMPTY_CHATS,
      conversations,
      open,
      ...(active === undefined ? {} : { active }),
    },
  };
}
