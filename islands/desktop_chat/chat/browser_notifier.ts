// Browser notifications for messages that arrive while the agent looks
// elsewhere (Notifications API, WHATWG). Permission is asked only from a
// user gesture (Chromium and Firefox ignore or penalise prompts on load).
import type { NotifyPermission } from "./alert_decision.ts";

export interface NotifyRequest {
  readonly title: string;
  readonly body: string;
  /** One notification per chat: a newer one replaces it (§ "tag"). */
  readonly tag: string;
  readonly onClick: () => void;
}

export interface Notifier {
  permission(): NotifyPermission;
  /** Asks once, if the agent has not answered yet; call from a gesture. */
  ask(): void;
  /** False when the browser refused to show it (then the toaster shows it). */
  show(request: NotifyRequest): boolean;
}

export function browserNotifier(): Notifier {
  const supported = typeof Notification === "function";
  return {
    permission: () => supported ? Notification.permission : "unsupported",
    ask() {
      if (!supported || Notification.permission !== "default") return;
      Notification.requestPermission().catch((error: unknown) => {
        console.warn("Desktop Chat: notification permission request", error);
      });
    },
    show({ title, body, tag, onClick }) {
      if (!supported || Notification.permission !== "granted") return false;
      let notification: Notification;
      try {
        notification = new Notification(title, { body, tag });
      } catch (error) {
        // Chrome on Android allows notifications only from a service
        // worker and throws a TypeError here; the toaster takes over.
        console.warn("Desktop Chat: notification refused", error);
        return false;
      }
      notification.onclick = () => {
        // The desktop's window comes forward (seed: "Click the toaster
        // notification to restore the Cisco Finesse desktop").
        globalThis.focus();
        notification.close();
        onClick();
      };
      return true;
    },
  };
}
