import type { RosterModel } from "../../../shared/xmpp/roster/roster_store.ts";
import type { DialogModel } from "../dialog_model.ts";
import type { ContactListModel } from "./contact_list_model.ts";

export interface ContactListHeaderProps {
  readonly roster: RosterModel;
  readonly dialogs: DialogModel;
  readonly model: ContactListModel;
}

/** "Contacts (n)", or with a selection the seed's header Move and Delete. */
export function ContactListHeader(
  { roster, dialogs, model }: ContactListHeaderProps,
) {
  const entries = model.selection.value;
  if (entries.length === 0) {
    return (
      <div class="contacts-header">
        <h2 class="contacts-title">Contacts</h2>
        <span class="contacts-count">{roster.contacts.value.size}</span>
      </div>
    );
  }
  return (
    <div class="contacts-header">
      <span class="contacts-selected">{entries.length} selected</span>
      <button
        type="button"
        class="button contacts-action"
        aria-label="Move selected contacts"
        onClick={(event) =>
          dialogs.open({ kind: "move-contacts", entries }, event.currentTarget)}
      >
        Move
      </button>
      <button
        type="button"
        class="button contacts-action"
        aria-label="Delete selected contacts"
        onClick={(event) =>
          dialogs.open(
            { kind: "delete-contacts", entries },
            event.currentTarget,
          )}
      >
        Delete
      </button>
      <button
        type="button"
        class="icon-button"
        aria-label="Clear selection"
        onClick={() => model.clearSelection()}
      >
        <svg
          viewBox="0 0 16 16"
          width="14"
          height="14"
          aria-hidden="true"
          focusable="false"
        >
          <path d="M4 4l8 8M12 4l-8 8" />
        </svg>
      </button>
    </div>
  );
}
