import type { ChatWindowModel } from "./chat_window_model.ts";
import { CloseIcon } from "./chat_icons.tsx";

export interface ToasterProps {
  readonly model: ChatWindowModel;
}

/**
 * The in-page notification, when the browser's cannot be shown (permission
 * denied or not given yet). Seed: "Click the toaster notification to
 * restore the Cisco Finesse desktop": here it opens that chat.
 */
export function Toaster({ model }: ToasterProps) {
  const toasts = model.toasts.value;
  if (toasts.length === 0) return null;
  return (
    <div class="toaster">
      {toasts.map((toast) => (
        <div key={toast.id} class="toast" role="status">
          <button
            type="button"
            class="toast-open"
            title={`Open the chat with ${toast.name}`}
            onClick={() => model.open(toast.jid, { gesture: true })}
          >
            <span class="toast-name">{toast.name}</span>
            <span class="toast-body">{toast.body}</span>
          </button>
          <button
            type="button"
            class="icon-button toast-dismiss"
            aria-label={`Dismiss the message from ${toast.name}`}
            title="Dismiss"
            onClick={() => model.dismissToast(toast.id)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
