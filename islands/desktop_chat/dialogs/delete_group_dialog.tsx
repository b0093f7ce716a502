import { useId } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame } from "./dialog_frame.tsx";
import { countText, groupLabel } from "./dialog_logic.ts";
import { useDialogAction } from "./use_dialog_action.ts";

export interface DeleteGroupDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "delete-group" }>;
}

/** Seed "Delete Group": the group goes with the contacts in it. */
export function DeleteGroupDialog(
  { account, dialogs, request }: DeleteGroupDialogProps,
) {
  const { roster } = account;
  const count = roster.groups.value
    .find((group) => group.name === request.group)?.count ?? 0;
  const action = useDialogAction(dialogs);
  const messageId = useId();
  const label = groupLabel(request.group);

  return (
    <DialogFrame
      title="Delete Group"
      describedBy={messageId}
      onCancel={dialogs.close}
      onSubmit={() => void action.run(() => roster.deleteGroup(request.group))}
    >
      <div id={messageId}>
        <p class="dialog-summary">
          Delete this group and the {countText(count, "contact", "contacts")}
          {" "}
          in it?
        </p>
        {/* A name of any length: it wraps anywhere, up to three lines. */}
        <p class="dialog-subject" title={label}>{label}</p>
        <p class="dialog-hint">
          A contact that is also in another group stays there.
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
