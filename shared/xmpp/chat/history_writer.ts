// Keeps the session's chats in a Storage (sessionStorage in the browser:
// per tab, gone with it, never localStorage) without getting in the way:
// writes are coalesced (a burst of 500 messages is one write), bounded by a
// character budget, and a full storage trims the oldest messages of the
// copy, never the chats in memory.
import { effect, type ReadonlySignal } from "@preact/signals-core";
import { XmppError } from "../core/errors.ts";
import type { ChatsState } from "./chat_state.ts";
import { readHistory, writeHistory } from "./chat_history.ts";
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

export function createHistoryWriter(
  storage: HistoryStorage,
  key: string,
  options: HistoryWriterOptions,
): HistoryWriter {
  const timers = options.timers ?? SYSTEM_TIMERS;
  const delayMs = options.delayMs ?? HISTORY_DELAY_MS;
  const budget = options.budget ?? HISTORY_BUDGET;
  let pending: ChatsState | undefined;
  let timer: unknown;
  let wiped = false;

  function write(state: ChatsState): void {
    if (state.open.length === 0) {
      storage.removeItem(key);
      return;
    }
    let limit = budget;
    for (let attempt = 0; attempt < QUOTA_ATTEMPTS; attempt++) {
      try {
        storage.setItem(key, writeHistory(state, limit));
        return;
      } catch (error) {
        if (!isQuotaExceeded(error)) throw error;
        limit = Math.floor(limit / 2);
      }
    }
    // Not even the chats without messages fit: better none than stale.
    storage.removeItem(key);
    options.onError(
      storageError("The chats could not be kept for a refresh.", undefined),
    );
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
      // Storage denied (private mode, a sandboxed frame): the chats stay in
      // memory, only a refresh loses them.
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
    wipe() {
      wiped = true;
      pending = undefined;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      try {
        storage.removeItem(key);
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

/** The chats stored under `key` (none when unreadable: logged). */
export function restoreHistory(
  storage: HistoryStorage,
  key: string,
  onError: (error: XmppError) => void,
): ChatsState {
  const { state, problem } = readHistory(readStored(storage, key, onError));
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

/** Writes `state` to `storage` as it changes, until disposed (a last flush). */
export function keepHistory(
  state: ReadonlySignal<ChatsState>,
  storage: HistoryStorage,
  key: string,
  options: KeepHistoryOptions,
): Pick<HistoryWriter, "wipe"> & Disposable {
  const writer = createHistoryWriter(storage, key, options);
  // The first run writes back what was just read: nothing changed yet.
  let first = true;
  const stop = effect(() => {
    const current = state.value;
    if (first) first = false;
    else writer.save(current);
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
