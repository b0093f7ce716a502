// Keeps the session's chats in a Storage (sessionStorage in the browser:
// per tab, gone with it, never localStorage) without getting in the way:
// writes are coalesced (a burst of 500 messages is one write), only what
// changed is written (one key per chat, chat_history.ts: a tab switch
// rewrites the small index, not 10,000 messages), bounded by a character
// budget, and a full storage trims the oldest messages of the copy, never
// the chats in memory.
import { effect, type ReadonlySignal } from "@preact/signals-core";
import { XmppError } from "../core/errors.ts";
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
import { SYSTEM_TIMERS, type Timers } from "./chat_typing.ts";

/** The part of the Web Storage API used here. */
export interface HistoryStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface HistoryWriterOptions {
  readonly timers?: Timers;
  /** How long changes gather before one write. */
  readonly delayMs?: number;
  /** Characters at most (sessionStorage holds about 5 M per origin). */
  readonly budget?: number;
  readonly onError: (error: XmppError) => void;
}

export interface HistoryWriter extends Disposable {
  /** The chats changed; they are written soon. */
  save(state: ChatsState): void;
  /** Writes a pending change now (the page is going away). */
  flush(): void;
  /** What the storage holds already (read at start): not written again. */
  stored(state: ChatsState): void;
  /** Sign-out: the stored chats go, and nothing is written any more. */
  wipe(): void;
}

export const HISTORY_DELAY_MS = 300;
/** A fifth of the usual quota, leaving the page's own scripts room. */
export const HISTORY_BUDGET = 1_000_000;
// Each refusal halves the budget; after this many the copy is given up.
const QUOTA_ATTEMPTS = 12;

function isQuotaExceeded(error: unknown): boolean {
  return error instanceof DOMException &&
    (error.name === "QuotaExceededError" || error.code === 22);
}

function storageError(message: string, cause: unknown): XmppError {
  return new XmppError("transport", "storage", message, { cause });
}

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
  const timers = options.timers ?? SYSTEM_TIMERS;
  const delayMs = options.delayMs ?? HISTORY_DELAY_MS;
  const budget = options.budget ?? HISTORY_BUDGET;
  const indexKey = historyKey(bareJid);
  // Per chat what its key holds; a chat without messages has no key.
  const written = new Map<string, Written>();
  let index: string | undefined;
  let pending: ChatsState | undefined;
  let timer: unknown;
  let wiped = false;

  /**
   * One chat's text: what the other chats leave of the budget, but never
   * less than an equal share (so one long chat cannot starve the others).
   */
  function writeOne(jid: string, conversation: Conversation, open: number) {
    let others = index?.length ?? 0;
    for (const [other, chat] of written) if (other !== jid) others += chat.size;
    let limit = Math.max(budget - others, Math.floor(budget / open));
    for (let attempt = 0; attempt < QUOTA_ATTEMPTS; attempt++) {
      const text = writeChat(conversation, limit);
      try {
        storage.setItem(chatKey(bareJid, jid), text);
        written.set(jid, { ...conversation, size: text.length });
        return;
      } catch (error) {
        if (!isQuotaExceeded(error)) throw error;
        limit = Math.floor(limit / 2);
      }
    }
    // Not even the chat without messages fits: better none than stale.
    storage.removeItem(chatKey(bareJid, jid));
    // Remembered as written, so the next flush does not try it again.
    written.set(jid, { ...conversation, size: 0 });
    options.onError(
      storageError("A chat could not be kept for a refresh.", undefined),
    );
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

  function flush(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
    const state = pending;
    pending = undefined;
    if (state === undefined || wiped) return;
    try {
      write(state);
    } catch (error) {
      // Storage denied (private mode, a sandboxed frame), or the index did
      // not fit: the chats stay in memory, only a refresh loses them.
      options.onError(
        storageError("The chats could not be kept for a refresh.", error),
      );
    }
  }

  return {
    save(state) {
      if (wiped) return;
      pending = state;
      timer ??= timers.setTimeout(flush, delayMs);
    },
    flush,
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
    wipe() {
      wiped = true;
      pending = undefined;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      try {
        for (const jid of written.keys()) {
          storage.removeItem(chatKey(bareJid, jid));
        }
        written.clear();
        storage.removeItem(indexKey);
        index = undefined;
      } catch (error) {
        options.onError(storageError("The stored chats stayed.", error));
      }
    },
    [Symbol.dispose]: flush,
  };
}

/** What `storage` holds under `key`, null when it cannot be read. */
export function readStored(
  storage: HistoryStorage,
  key: string,
  onError: (error: XmppError) => void,
): string | null {
  try {
    return storage.getItem(key);
  } catch (error) {
    onError(storageError("The stored chats could not be read.", error));
    return null;
  }
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

/** What tells us the page is going away (a refresh). */
export interface PageEvents {
  addEventListener(type: "pagehide", listener: () => void): void;
  removeEventListener(type: "pagehide", listener: () => void): void;
}

function pageEventsOf(scope: object): PageEvents | undefined {
  return "addEventListener" in scope && "removeEventListener" in scope
    ? scope as PageEvents
    : undefined;
}

export interface KeepHistoryOptions extends HistoryWriterOptions {
  /** Default: globalThis when it has events (the browser's window). */
  readonly pageEvents?: PageEvents;
}

/** Writes `state` (of account `bareJid`) to `storage` as it changes, until disposed (a last flush). */
export function keepHistory(
  state: ReadonlySignal<ChatsState>,
  storage: HistoryStorage,
  bareJid: string,
  options: KeepHistoryOptions,
): Pick<HistoryWriter, "wipe"> & Disposable {
  const writer = createHistoryWriter(storage, bareJid, options);
  // The first run sees what was just read: stored already, not written.
  let first = true;
  const stop = effect(() => {
    const current = state.value;
    if (first) {
      first = false;
      writer.stored(current);
    } else writer.save(current);
  });
  // A refresh disposes nothing: what is pending is written as the page goes.
  const page = options.pageEvents ?? pageEventsOf(globalThis);
  const flush = () => writer.flush();
  page?.addEventListener("pagehide", flush);
  return {
    wipe: () => writer.wipe(),
    [Symbol.dispose]() {
      stop();
      page?.removeEventListener("pagehide", flush);
      writer[Symbol.dispose]();
    },
  };
}

/** The tab's sessionStorage; none where the browser denies it (sandbox). */
export function sessionHistoryStorage(): HistoryStorage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch (error) {
    console.warn("Desktop Chat: sessionStorage is not available", error);
    return undefined;
  }
}
