// Keeps session state in a Storage (sessionStorage in the browser: per
// tab, gone with it, never localStorage) without getting in the way:
// writes are coalesced (a burst of 500 changes is one write), bounded by
// a character budget, and a full storage trims the oldest of the copy,
// never the state in memory. Shared by the two copies a refresh keeps:
// the chats (history_writer.ts) and the file transfers
// (files/file_history.ts).
import { effect, type ReadonlySignal } from "@preact/signals-core";
import { XmppError } from "../core/errors.ts";
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

/** One kind of state as stored: what the shared writer calls. */
export interface StoredCopy<S> {
  /** Writes what changed of `state`; a throw is reported, not raised. */
  write(state: S): void;
  /** What the storage holds already (read at start): not written again. */
  stored(state: S): void;
  /** Removes every key of the copy (sign-out). */
  remove(): void;
}

export interface StorageWriter<S> extends Disposable {
  /** The state changed; it is written soon. */
  save(state: S): void;
  /** Writes a pending change now (the page is going away). */
  flush(): void;
  stored(state: S): void;
  /** Sign-out: the stored copy goes, and nothing is written any more. */
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

function storageError(message: string, cause?: unknown): XmppError {
  return new XmppError("transport", "storage", message, { cause });
}

/** Coalesces `copy`'s writes and reports what the storage refuses. */
export function createStorageWriter<S>(
  copy: StoredCopy<S>,
  options: HistoryWriterOptions,
): StorageWriter<S> {
  const timers = options.timers ?? SYSTEM_TIMERS;
  let pending: { readonly state: S } | undefined;
  let timer: unknown;
  let wiped = false;

  function guarded(run: () => void, message: string): void {
    try {
      run();
    } catch (error) {
      // Storage denied (private mode, a sandboxed frame), or an index did
      // not fit: the state stays in memory, only a refresh loses it.
      options.onError(storageError(message, error));
    }
  }

  function stop(): void {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  }

  function flush(): void {
    stop();
    const next = pending;
    pending = undefined;
    if (next !== undefined && !wiped) {
      guarded(() => copy.write(next.state), "Not kept for a refresh.");
    }
  }

  return {
    save(state) {
      if (wiped) return;
      pending = { state };
      timer ??= timers.setTimeout(flush, options.delayMs ?? HISTORY_DELAY_MS);
    },
    flush,
    stored: (state) => copy.stored(state),
    wipe() {
      wiped = true;
      pending = undefined;
      stop();
      guarded(() => copy.remove(), "The stored copy stayed.");
    },
    [Symbol.dispose]: flush,
  };
}

/**
 * Writes `textOf(limit)` under `key`, halving `limit` each time the
 * storage is full; the length written, or undefined when not even the
 * smallest fitted (the key is removed then: better none than stale, and
 * the loss is reported). Other errors are thrown.
 */
export function writeWithin(
  storage: HistoryStorage,
  key: string,
  textOf: (limit: number) => string,
  limit: number,
  onError: (error: XmppError) => void,
): number | undefined {
  for (let attempt = 0; attempt < QUOTA_ATTEMPTS; attempt++) {
    const text = textOf(limit);
    try {
      storage.setItem(key, text);
      return text.length;
    } catch (error) {
      if (!isQuotaExceeded(error)) throw error;
      limit = Math.floor(limit / 2);
    }
  }
  storage.removeItem(key);
  onError(storageError("Not kept for a refresh: the storage is full."));
  return undefined;
}

/**
 * The newest of `texts` (oldest first) joined with commas, as many as fit
 * in `budget` characters: what a copy keeps when it is over its budget.
 */
export function newestWithin(texts: readonly string[], budget: number): string {
  // n texts take n - 1 commas.
  let size = -1;
  for (const text of texts) size += text.length + 1;
  let from = 0;
  while (size > budget && from < texts.length) {
    size -= texts[from].length + 1;
    from++;
  }
  return texts.slice(from).join(",");
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
    onError(storageError("The stored copy could not be read.", error));
    return null;
  }
}

/** What tells us the page is going away (a refresh). */
export interface PageEvents {
  addEventListener(type: "pagehide", listener: () => void): void;
  removeEventListener(type: "pagehide", listener: () => void): void;
}

export interface KeepHistoryOptions extends HistoryWriterOptions {
  /** Default: globalThis when it has events (the browser's window). */
  readonly pageEvents?: PageEvents;
}

/** Writes `state` through `writer` as it changes, until disposed (a last flush). */
export function keepState<S>(
  state: ReadonlySignal<S>,
  writer: StorageWriter<S>,
  pageEvents?: PageEvents,
): Pick<StorageWriter<S>, "wipe"> & Disposable {
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
  const page = pageEvents ??
    ("addEventListener" in globalThis
      ? globalThis as unknown as PageEvents
      : undefined);
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
