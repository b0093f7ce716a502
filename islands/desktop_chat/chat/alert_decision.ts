// What an incoming message does to the agent's screen (seed "Chat Window"
// and the Do Not Disturb note under "Change Your Desktop Chat State"), as a
// pure decision the chat window carries out.
import type { OwnShow } from "../../../shared/xmpp/presence/presence_store.ts";

/** hidden: no window shown; open: shown and not minimised (seed: "active"). */
export type WindowState = "hidden" | "minimised" | "open";

/** Notification.permission, or "unsupported" where there is no such API. */
export type NotifyPermission = NotificationPermission | "unsupported";

export interface AlertInput {
  readonly show: OwnShow;
  readonly window: WindowState;
  /** The desktop's tab is visible and has focus. */
  readonly attended: boolean;
  /**
   * Read only when a notification could be shown (away, not DND): in
   * Chromium Notification.permission is a synchronous call into the browser
   * process, too dear for every message of a burst (issue 13's bench).
   */
  readonly permission: () => NotifyPermission;
}

export interface AlertDecision {
  /** The window's state once the message is in. */
  readonly window: "open" | "minimised";
  /** The Desktop Chat icon blinks until the agent looks. */
  readonly blink: boolean;
  /** A browser notification (Notification API). */
  readonly notify: boolean;
  /** The in-page toaster, when a notification cannot be shown. */
  readonly toast: boolean;
}

export function decideAlert(input: AlertInput): AlertDecision {
  if (input.show === "dnd") {
    // Seed: "the message is displayed only if your chat window is active.
    // If the chat window is closed or minimized, the Desktop Chat icon
    // blinks and you will only see the minimized chat window header";
    // issue 13: no browser notification in Do Not Disturb.
    const open = input.window === "open";
    return {
      window: open ? "open" : "minimised",
      blink: !open,
      notify: false,
      toast: false,
    };
  }
  // Seed: the window pops up; when the desktop is inactive, a notification
  // (ours: the browser's when allowed, else the in-page toaster).
  const away = !input.attended;
  const granted = away && input.permission() === "granted";
  return {
    window: "open",
    blink: false,
    notify: away && granted,
    toast: away && !granted,
  };
}
