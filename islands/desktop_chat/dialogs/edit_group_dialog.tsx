import { useSignal } from "@preact/signals";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { ParseError } from "../../../shared/xmpp/core/errors.ts";
import { ROSTER_LIMITS } from "../../../shared/xmpp/roster/roster_parser.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame, focusField } from "./dialog_frame.tsx";
import { DialogTextField } from "./dialog_text_field.tsx";
import { renamedGroup } from "./dialog_logic.ts";
import { useDialogAction } from "./use_dialog_action.ts";

export interface EditGroupDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "edit-group" }>;
}

/** Seed "Edit Group": rename a group for every contact in it. */
export function EditGroupDialog(
  { account, dialogs, request }: EditGroupDialogProps,
) {
  const { roster } = account;
  const name = useSignal(request.group);
  const error = useSignal<string | undefined>(undefined);
  const action = useDialogAction(dialogs);

  function submit(form: HTMLFormElement) {
    const groups = roster.groups.peek().map((group) => group.name);
    const target = renamedGroup(request.group, name.value, groups);
    error.value = target instanceof ParseError ? target.message : undefined;
    if (target instanceof ParseError) return focusField(form, "group-name");
    void action.run(() => roster.renameGroup(request.group, target));
  }

  return (
    <DialogFrame title="Group" onCancel={dialogs.close} onSubmit={submit}>
      <DialogTextField
        name="group-name"
        label="Group name"
        value={name.value}
        maxLength={ROSTER_LIMITS.groupLength}
        error={error.value}
        autofocus
        onInput={(text) => (name.value = text)}
      />
      <DialogActions
        action={action}
        label="Save"
        pendingLabel="Saving…"
        onCancel={dialogs.close}
      />
    </DialogFrame>
  );
}
