import { useId } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import {
  displayName,
  NO_GROUP,
} from "../../../shared/xmpp/roster/roster_state.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame } from "./dialog_frame.tsx";
import { bySourceGroup, groupLabel, nameList } from "./dialog_logic.ts";
import { useDialogAction } from "./use_dialog_action.ts";

export interface DeleteContactsDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "delete-contacts" }>;
}

/**
 * Seed "Delete Contact": each contact leaves the group it was picked in; in
 * its last group it leaves the roster, which also ends the presence
 * subscriptions both ways (RFC 6121 §2.5).
 */
export function DeleteContactsDialog(
  { account, dialogs, request }: DeleteContactsDialogProps,
) {
  const { roster } = account;
  const contacts = roster.contacts.value;
  const action = useDialogAction(dialogs);
  const messageId = useId();
  const names = request.entries.map(({ jid, group }) => {
    const item = contacts.get(jid);
    return `${item ? displayName(item) : jid} (${groupLabel(group)})`;
  });
  const { shown, more } = nameList(names);

  function submit() {
    void action.run(async () => {
      // One group at a time, each planned from the roster pushed back so far.
      for (const { group, jids } of bySourceGroup(request.entries)) {
        if (group === NO_GROUP) {
          await Promise.all(jids.map((jid) => roster.removeContact(jid)));
        } else await roster.removeFromGroup(jids, group);
      }
    });
  }

  return (
    <DialogFrame
      title={names.length === 1 ? "Delete Contact" : "Delete Contacts"}
      describedBy={messageId}
      onCancel={dialogs.close}
      onSubmit={submit}
    >
      <div id={messageId}>
        <p class="dialog-summary">
          {names.length === 1
            ? "Delete this contact?"
            : `Delete these ${names.length} contacts?`}
        </p>
        <ul class="dialog-names">
          {shown.map((name, index) => <li key={index}>{name}</li>)}
          {more > 0 && <li>and {more} more</li>}
        </ul>
        <p class="dialog-hint">
          A contact in several groups is removed only from the group shown.
        </p>
      </div>
      <DialogActions
        action={action}
        label="Delete"
        pendingLabel="Deleting…"
        danger
        focusCancel
        onCancel={dialogs.close}
      />
    </DialogFrame>
  );
}
