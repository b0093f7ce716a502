// What each row's ••• menu offers (seed: Add/Edit/Move/Delete Contact,
// Edit/Delete Group), as dialog requests, so the menu only has to list them.
import { NO_GROUP } from "../../../shared/xmpp/roster/roster_state.ts";
import type { DialogRequest } from "../dialog_model.ts";
import { type ContactListRow, RECENT_GROUP } from "./contact_rows.ts";

export interface RowAction {
  readonly label: string;
  readonly request: DialogRequest;
}

export function rowActions(row: ContactListRow): readonly RowAction[] {
  switch (row.kind) {
    case "group": {
      // Recent Chats is no roster group: its people are added one by one.
      return row.group === RECENT_GROUP ? [] : groupActions(row.group);
    }
    case "contact": {
      const entries = [{ jid: row.jid, group: row.group }];
      return [
        { label: "Edit", request: { kind: "edit-contact", jid: row.jid } },
        { label: "Move", request: { kind: "move-contacts", entries } },
        { label: "Delete", request: { kind: "delete-contacts", entries } },
      ];
    }
    case "recent":
      // No name filled in from their nickname: adding someone would turn
      // their own claim into the agent's trusted roster name (issue 14).
      return [{
        label: "Add",
        request: { kind: "add-contact", jid: row.jid },
      }];
  }
}

function groupActions(group: string): readonly RowAction[] {
  const add: RowAction = {
    label: "Add",
    request: { kind: "add-contact", group },
  };
  // "Other Contacts" is no roster group: nothing to rename or delete.
  if (group === NO_GROUP) return [add];
  return [
    add,
    { label: "Edit", request: { kind: "edit-group", group } },
    { label: "Delete", request: { kind: "delete-group", group } },
  ];
}

/** The ••• button's and the menu's accessible name. */
export function actionsLabel(row: ContactListRow): string {
  return row.kind === "group"
    ? `Actions for group ${row.name}`
    : `Actions for ${row.name}`;
}
