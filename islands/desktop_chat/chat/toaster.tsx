import { personLabel } from "../../../shared/xmpp/identity/person.ts";
import { IdentityNotes } from "../identity/identity_notes.tsx";
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
      {toasts.map(({ id, jid, person, body }) => (
        <div
          key={id}
          class="toast"
          role="status"
          data-looks-like={person.looksLike?.jid}
        >
          <button
            type="button"
            class="toast-open"
            title={`Open the chat with ${personLabel(person)}`}
            onClick={() => model.open(jid, { gesture: true })}
          >
            <span class="toast-name">{person.name}</span>
            <IdentityNotes person={person} />
            <span class="toast-body">{body}</span>
          </button>
          <button
            type="button"
            class="icon-button toast-dismiss"
            aria-label={`Dismiss the message from ${person.name}`}
            title="Dismiss"
            onClick={() => model.dismissToast(id)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
