// The agent's side of XEP-0085 §5.2 while a draft is typed: `composing`
// once when typing starts, `paused` after 5 s without a keystroke, `active`
// when the draft is emptied. Which notifications may go to whom is the
// store's business (§5.1); this only decides when. Timers are injected so
// tests step time instead of waiting for it.
import type { ChatState } from "./chat_model.ts";

/** Handles are opaque: whatever setTimeout gave, clearTimeout takes. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

type Handle = ReturnType<typeof setTimeout>;

export const SYSTEM_TIMERS: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as Handle),
};

/** XEP-0085 §2.1 leaves the "short period" before `paused` to us. */
export const PAUSED_AFTER_MS = 5_000;

export interface Typing extends Disposable {
  /** The composer of `jid` now holds `draft`. */
  changed(jid: string, draft: string): void;
  /** A message went to `jid` carrying `active`: typing there is over. */
  sent(jid: string): void;
  /** The chat with `jid` closed (the store sends `gone`). */
  closed(jid: string): void;
}

export function createTyping(
  notify: (jid: string, state: ChatState) => void,
  timers: Timers = SYSTEM_TIMERS,
): Typing {
  // What we last told each contact, while it is not `active`.
  const shown = new Map<string, "composing" | "paused">();
  const idle = new Map<string, unknown>();

  function stopTimer(jid: string): void {
    const handle = idle.get(jid);
    if (handle === undefined) return;
    timers.clearTimeout(handle);
    idle.delete(jid);
  }

  function forget(jid: string): void {
    stopTimer(jid);
    shown.delete(jid);
  }

  return {
    changed(jid, draft) {
      stopTimer(jid);
      if (draft.trim() === "") {
        if (shown.has(jid)) notify(jid, "active");
        shown.delete(jid);
        return;
      }
      if (shown.get(jid) !== "composing") {
        shown.set(jid, "composing");
        notify(jid, "composing");
      }
      idle.set(
        jid,
        timers.setTimeout(() => {
          idle.delete(jid);
          shown.set(jid, "paused");
          notify(jid, "paused");
        }, PAUSED_AFTER_MS),
      );
    },
    sent: forget,
    closed: forget,
    [Symbol.dispose]() {
      for (const handle of idle.values()) timers.clearTimeout(handle);
      idle.clear();
      shown.clear();
    },
  };
}
