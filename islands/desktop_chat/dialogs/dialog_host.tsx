import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { AddContactDialog } from "./add_contact_dialog.tsx";
import { DeleteContactsDialog } from "./delete_contacts_dialog.tsx";
import { DeleteGroupDialog } from "./delete_group_dialog.tsx";
import { EditContactDialog } from "./edit_contact_dialog.tsx";
import { EditGroupDialog } from "./edit_group_dialog.tsx";
import { MoveContactsDialog } from "./move_contacts_dialog.tsx";

export interface DialogHostProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
}

// Each request gets fresh dialog state, even one opened in place of another.
const keys = new WeakMap<DialogRequest, number>();
let lastKey = 0;

function keyOf(request: DialogRequest): number {
  let key = keys.get(request);
  if (key === undefined) keys.set(request, key = ++lastKey);
  return key;
}

/** The contact list's one open dialog, if any. */
export function DialogHost({ account, dialogs }: DialogHostProps) {
  const request = dialogs.current.value;
  if (request === undefined) return null;
  const key = keyOf(request);
  switch (request.kind) {
    case "add-contact":
      return <AddContactDialog key={key} {...{ account, dialogs, request }} />;
    case "edit-contact":
      return <EditContactDialog key={key} {...{ account, dialogs, request }} />;
    case "move-contacts":
      return (
        <MoveContactsDialog
          key={key}
          {...{ account, dialogs, request }}
        />
      );
    case "delete-contacts":
      return (
        <DeleteContactsDialog key={key} {...{ account, dialogs, request }} />
      );
    case "edit-group":
      return <EditGroupDialog key={key} {...{ account, dialogs, request }} />;
    case "delete-group":
      return <DeleteGroupDialog key={key} {...{ account, dialogs, request }} />;
  }
}
