import { useComputed } from "@preact/signals";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { DialogModel } from "../dialog_model.ts";
import { ContactListHeader } from "./contact_list_header.tsx";
import type { ContactListModel } from "./contact_list_model.ts";
import { ContactTree } from "./contact_tree.tsx";
import { RosterStatus } from "./roster_status.tsx";

export interface ContactListProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly model: ContactListModel;
}

/** The seed's contact list: groups, contacts, Recent Chats, their actions. */
export function ContactList({ account, dialogs, model }: ContactListProps) {
  const { roster } = account;
  // Computed, so a filter keystroke re-renders only the tree, not this.
  const note = useComputed(() => {
    if (roster.status.value !== "ready") return "";
    // While searching, the one empty state for contacts and directory
    // together is the search section's (search/directory_section.tsx).
    if (model.filter.value.trim() !== "") return "";
    return roster.contacts.value.size === 0
      ? "No contacts yet. Search the directory above to add colleagues."
      : "";
  });
  const empty = useComputed(() => model.rows.value.length === 0);
  return (
    <div class="contact-list">
      <ContactListHeader roster={roster} dialogs={dialogs} model={model} />
      <RosterStatus roster={roster} />
      {/* Always rendered: a live region must exist before its text changes. */}
      <p class="contacts-note" role="status">{note}</p>
      {!empty.value && (
        <ContactTree account={account} dialogs={dialogs} model={model} />
      )}
    </div>
  );
}
