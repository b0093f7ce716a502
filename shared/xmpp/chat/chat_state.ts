// The agent's conversations as plain data and the pure steps that change
// them: open, view, close, add a message, move a message's state. The
// handlers (chat_incoming.ts) and the store (chat_store.ts) compose them;
// every step keeps the bounds and the invariants (ids unique within a
// conversation, a message's state only moves forward).
import type {
  ChatMessage,
  ChatMessageError,
  Conversation,
  MessageState,
} from "./chat_model.ts";

export const CHAT_LIMITS = {
  /** Per conversation; the oldest go first. */
  messages: 10_000,
  /** Open chats; opening one more closes the oldest not shown. */
  openChats: 50,
} as const;

export interface ChatsState {
  /** One per open chat, keyed by bare JID. */
  readonly conversations: ReadonlyMap<string, Conversation>;
  /** Bare JIDs of the open chats, in the order they were opened. */
  readonly open: readonly string[];
  /** The chat shown in the window's active tab. */
  readonly active?: string;
  /** The chat the agent is looking at now (window shown, tab active). */
  readonly viewing?: string;
  /**
   * XEP-0085 §5.1, per open chat: true once the contact sent a chat state,
   * false once it replied with a message without one (then we send it no
   * more); absent while unknown.
   */
  readonly chatStates: ReadonlyMap<string, boolean>;
}

export const EMPTY_CHATS: ChatsState = {
  conversations: new Map(),
  open: [],
  chatStates: new Map(),
};

export function emptyConversation(jid: string): Conversation {
  return { jid, messages: [], unread: 0 };
}

function withActive(
  state: ChatsState,
  changes: Partial<ChatsState>,
): ChatsState {
  const next = { ...state, ...changes };
  if (next.active === undefined) delete next.active;
  if (next.viewing === undefined) delete next.viewing;
  return next;
}

/**
 * Opens the chat with `jid` (bare, normalised), making it active when
 * `activate` or when no chat is active yet. Beyond CHAT_LIMITS.openChats
 * the oldest chat that is neither active nor `jid` is closed.
 */
export function openChat(
  state: ChatsState,
  jid: string,
  activate: boolean,
): ChatsState {
  const active = activate || state.active === undefined ? jid : state.active;
  if (state.open.includes(jid)) {
    return active === state.active ? state : withActive(state, { active });
  }
  let next = withActive(state, {
    open: [...state.open, jid],
    conversations: new Map(state.conversations).set(
      jid,
      emptyConversation(jid),
    ),
    active,
  });
  if (next.open.length > CHAT_LIMITS.openChats) {
    const oldest = next.open.find((open) => open !== active && open !== jid);
    if (oldest !== undefined) next = closeChat(next, oldest);
  }
  return next;
}

/**
 * Closes the chat with `jid` and drops its messages; an active one hands
 * the window to its neighbour tab (the next, else the previous).
 */
export function closeChat(state: ChatsState, jid: string): ChatsState {
  const index = state.open.indexOf(jid);
  if (index === -1) return state;
  const open = state.open.filter((other) => other !== jid);
  const conversations = new Map(state.conversations);
  conversations.delete(jid);
  const chatStates = new Map(state.chatStates);
  chatStates.delete(jid);
  const active = state.active !== jid
    ? state.active
    : open[Math.min(index, open.length - 1)];
  const viewing = state.viewing === jid ? undefined : state.viewing;
  return withActive(state, {
    open,
    conversations,
    chatStates,
    active,
    viewing,
  });
}

/** The agent looks at `jid` (opened and made active), or at nothing. */
export function viewChat(
  state: ChatsState,
  jid: string | undefined,
): ChatsState {
  if (jid === undefined) {
    return state.viewing === undefined
      ? state
      : withActive(state, { viewing: undefined });
  }
  const opened = openChat(state, jid, true);
  const read = updateConversation(
    opened,
    jid,
    (conversation) =>
      conversation.unread === 0 ? conversation : { ...conversation, unread: 0 },
  );
  return read.viewing === jid ? read : withActive(read, { viewing: jid });
}

/** Applies `change` to an open conversation; a closed one stays closed. */
export function updateConversation(
  state: ChatsState,
  jid: string,
  change: (conversation: Conversation) => Conversation,
): ChatsState {
  const conversation = state.conversations.get(jid);
  if (conversation === undefined) return state;
  const changed = change(conversation);
  if (changed === conversation) return state;
  return {
    ...state,
    conversations: new Map(state.conversations).set(jid, changed),
  };
}

/**
 * Adds `message` to the open chat `jid`, unless one with its id is there
 * already (a resent or duplicated stanza is shown once). Incoming
 * messages count as unread unless the agent is looking at the chat.
 */
export function addMessage(
  state: ChatsState,
  jid: string,
  message: ChatMessage,
): ChatsState {
  return updateConversation(state, jid, (conversation) => {
    const before = conversation.messages;
    const ids = idsOf(before);
    if (ids.has(message.id)) return conversation;
    const dropped = Math.max(0, before.length - CHAT_LIMITS.messages + 1);
    const messages = before.slice(dropped);
    messages.push(message);
    for (let i = 0; i < dropped; i++) ids.delete(before[i].id);
    ids.add(message.id);
    handOver(before, messages);
    const unread = message.direction === "in" && state.viewing !== jid
      ? conversation.unread + 1
      : conversation.unread;
    return { ...conversation, messages, unread };
  });
}

// The ids of a messages array, so the duplicate check is not a scan of up
// to 10,000 messages per message. A set is handed over to the array made
// from its own (changed to match): one array owns it at a time, and an
// older array asked again gets a set built anew. So a set always holds
// exactly the ids of its array, and every step stays pure to its callers.
const idSets = new WeakMap<readonly ChatMessage[], Set<string>>();

function idsOf(messages: readonly ChatMessage[]): Set<string> {
  let ids = idSets.get(messages);
  if (ids === undefined) {
    ids = new Set(messages.map((message) => message.id));
    idSets.set(messages, ids);
  }
  return ids;
}

/** `to` holds the ids `idsOf(from)` holds now (after any change made). */
function handOver(
  from: readonly ChatMessage[],
  to: readonly ChatMessage[],
): void {
  const ids = idSets.get(from);
  if (ids === undefined) return;
  idSets.delete(from);
  idSets.set(to, ids);
}

const RANK: Readonly<Record<MessageState, number>> = {
  pending: 0,
  sent: 1,
  delivered: 2,
  failed: 2,
};

/**
 * Whether a message may go from `from` to `to`: only forward, pending →
 * sent → delivered, or to failed before it was delivered. Retry is the one
 * way back (retryMessage).
 */
export function canMove(from: MessageState, to: MessageState): boolean {
  return RANK[to] > RANK[from];
}

/** Moves our outgoing message `id` in chat `jid` to `next`, if allowed. */
export function setMessageState(
  state: ChatsState,
  jid: string,
  id: string,
  next: MessageState,
  error?: ChatMessageError,
): ChatsState {
  return updateConversation(state, jid, (conversation) => {
    const index = conversation.messages.findIndex((message) =>
      message.id === id && message.direction === "out"
    );
    if (index === -1) return conversation;
    const message = conversation.messages[index];
    if (!canMove(message.state, next)) return conversation;
    const moved: ChatMessage = error === undefined
      ? { ...message, state: next }
      : { ...message, state: next, error };
    const messages = conversation.messages.slice();
    messages[index] = moved;
    handOver(conversation.messages, messages);
    return { ...conversation, messages };
  });
}

/** Every outgoing message among `ids` not yet delivered fails (never left). */
export function failUnsent(
  state: ChatsState,
  ids: ReadonlySet<string>,
  error: ChatMessageError,
): ChatsState {
  let next = state;
  for (const [jid, conversation] of state.conversations) {
    for (const message of conversation.messages) {
      if (message.direction === "out" && ids.has(message.id)) {
        next = setMessageState(next, jid, message.id, "failed", error);
      }
    }
  }
  return next;
}

/** A failed outgoing message goes back to pending, keeping place and id. */
export function retryMessage(
  state: ChatsState,
  jid: string,
  id: string,
): ChatsState {
  return updateConversation(state, jid, (conversation) => {
    const index = conversation.messages.findIndex((message) =>
      message.id === id && message.direction === "out" &&
      message.state === "failed"
    );
    if (index === -1) return conversation;
    const { error: _dropped, ...rest } = conversation.messages[index];
    const messages = conversation.messages.slice();
    messages[index] = { ...rest, state: "pending" };
    handOver(conversation.messages, messages);
    return { ...conversation, messages };
  });
}

/** Records what the contact showed of XEP-0085 support (§5.1). */
export function noteChatStates(
  state: ChatsState,
  jid: string,
  supported: boolean,
): ChatsState {
  if (!state.open.includes(jid) || state.chatStates.get(jid) === supported) {
    return state;
  }
  return {
    ...state,
    chatStates: new Map(state.chatStates).set(jid, supported),
  };
}
