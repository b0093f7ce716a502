// Keeps the session's chats in a Storage through the shared writer
// (storage_writer.ts): only what changed is written (one key per chat,
// chat_history.ts: a tab switch rewrites the small index, not 10,000
// messages), and a full storage trims the oldest messages of the copy,
// never the chats in memory.
import type { ReadonlySignal } from "@preact/signals-core";
import type { XmppError } from "../core/errors.ts";
import type { ChatMessage, Conversation } from "./chat_model.ts";
import type { ChatsState } from "./chat_state.ts";
import {
  chatKey,
  hasChatText,
  historyKey,
  readHistory,
  writeChat,
  writeIndex,
} from "./chat_history.ts";
import {
  createStorageWriter,
  HISTORY_BUDGET,
  type HistoryStorage,
  type HistoryWriterOptions,
  type KeepHistoryOptions,
  keepState,
  readStored,
  type StorageWriter,
  writeWithin,
} from "./storage_writer.ts";

export type {
  HistoryStorage,
  HistoryWriterOptions,
  KeepHistoryOptions,
  PageEvents,
} from "./storage_writer.ts";
export { sessionHistoryStorage } from "./storage_writer.ts";

export type HistoryWriter = StorageWriter<ChatsState>;

/** What a chat's stored text was written from, and its length. */
interface Written {
  readonly messages: readonly ChatMessage[];
  readonly nick?: string;
  readonly size: number;
}

function sameChat(written: Written, conversation: Conversation): boolean {
  return written.messages === conversation.messages &&
    written.nick === conversation.nick;
}

/** Writes the chats of the account `bareJid` (keys: chat_history.ts). */
export function createHistoryWriter(
  storage: HistoryStorage,
  bareJid: string,
  options: HistoryWriterOptions,
): HistoryWriter {
  const budget = options.budget ?? HISTORY_BUDGET;
  const indexKey = historyKey(bareJid);
  // Per chat what its key holds; a chat without messages has no key.
  const written = new Map<string, Written>();
  let index: string | undefined;

  /**
   * One chat's text: what the other chats leave of the budget, but never
   * less than an equal share (so one long chat cannot starve the others).
   */
  function writeOne(jid: string, conversation: Conversation, open: number) {
    let others = index?.length ?? 0;
    for (const [other, chat] of written) if (other !== jid) others += chat.size;
    const size = writeWithin(
      storage,
      chatKey(bareJid, jid),
      (limit) => writeChat(conversation, limit),
      Math.max(budget - others, Math.floor(budget / open)),
      options.onError,
    );
    // Not kept at all: remembered as written, so the next flush does not
    // try it again.
    written.set(jid, { ...conversation, size: size ?? 0 });
  }

  function write(state: ChatsState): void {
    for (const jid of written.keys()) {
      const conversation = state.conversations.get(jid);
      if (conversation === undefined || !hasChatText(conversation)) {
        storage.removeItem(chatKey(bareJid, jid));
        written.delete(jid);
      }
    }
    if (state.open.length === 0) {
      storage.removeItem(indexKey);
      index = undefined;
      return;
    }
    for (const jid of state.open) {
      const conversation = state.conversations.get(jid);
      if (conversation === undefined || !hasChatText(conversation)) continue;
      const before = written.get(jid);
      if (before === undefined || !sameChat(before, conversation)) {
        writeOne(jid, conversation, state.open.length);
      }
    }
    // The index last: it never names a chat whose text is still to come.
    const next = writeIndex(state);
    if (next !== index) {
      storage.setItem(indexKey, next);
      index = next;
    }
  }

  return createStorageWriter({
    write,
    stored(state) {
      index = state.open.length === 0 ? undefined : writeIndex(state);
      for (const [jid, conversation] of state.conversations) {
        // Every key there is, even one read as empty (corrupt): the next
        // write or a wipe removes it.
        const text = readStored(
          storage,
          chatKey(bareJid, jid),
          options.onError,
        );
        if (text !== null) {
          written.set(jid, { ...conversation, size: text.length });
        }
      }
    },
    remove() {
      for (const jid of written.keys()) {
        storage.removeItem(chatKey(bareJid, jid));
      }
      written.clear();
      storage.removeItem(indexKey);
      index = undefined;
    },
  }, options);
}

/** The chats stored for `bareJid` (none when unreadable: logged). */
export function restoreHistory(
  storage: HistoryStorage,
  bareJid: string,
  onError: (error: XmppError) => void,
): ChatsState {
  const { state, problem } = readHistory(
    readStored(storage, historyKey(bareJid), onError),
    (jid) => readStored(storage, chatKey(bareJid, jid), onError),
  );
  if (problem !== undefined) onError(problem);
  return state;
}

/** Writes the chats `state` (of account `bareJid`) to `storage` as they change. */
export function keepHistory(
  state: ReadonlySignal<ChatsState>,
  storage: HistoryStorage,
  bareJid: string,
  options: KeepHistoryOptions,
): Pick<HistoryWriter, "wipe"> & Disposable {
  return keepState(
    state,
    createHistoryWriter(storage, bareJid, options),
    options.pageEvents,
  );
}
