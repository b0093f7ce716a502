// Whether the agent is looking at the desktop's tab: visible (Page
// Visibility §4: document.hidden) and focused (HTML: Document.hasFocus()).
import { type ReadonlySignal, signal } from "@preact/signals";

export interface PageAttention extends Disposable {
  /** The tab is visible (its chats can count as read). */
  readonly visible: ReadonlySignal<boolean>;
  /** Visible and focused, asked when a message arrives. */
  attended(): boolean;
}

export function pageAttention(): PageAttention {
  const visible = signal(!document.hidden);
  const update = () => (visible.value = !document.hidden);
  document.addEventListener("visibilitychange", update);
  return {
    visible,
    attended: () => !document.hidden && document.hasFocus(),
    [Symbol.dispose]() {
      document.removeEventListener("visibilitychange", update);
    },
  };
}
