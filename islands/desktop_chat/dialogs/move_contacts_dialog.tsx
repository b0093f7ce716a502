import { useSignal } from "@preact/signals";
import { useId } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { ParseError } from "../../../shared/xmpp/core/errors.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame, focusField } from "./dialog_frame.tsx";
import {
  bySourceGroup,
  countText,
  type GroupChoice,
  initialChoice,
  pickedGroup,
  pickerGroups,
} from "./dialog_logic.ts";
import { GroupPicker } from "./group_picker.tsx";
import { useDialogAction } from "./use_dialog_action.ts";

export interface MoveContactsDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "move-contacts" }>;
}

/** Seed "Move Contact": one contact or several, out of the group picked in. */
export function MoveContactsDialog(
  { account, dialogs, request }: MoveContactsDialogProps,
) {
  const { roster } = account;
  const sources = bySourceGroup(request.entries);
  const count = new Set(request.entries.map((entry) => entry.jid)).size;
  const groups = pickerGroups(roster.groups.value.map((group) => group.name));
  const choice = useSignal<GroupChoice>(
    initialChoice(groups, undefined, sources.map((source) => source.group)),
  );
  const groupError = useSignal<string | undefined>(undefined);
  const action = useDialogAction(dialogs);
  const summaryId = useId();

  function submit(form: HTMLFormElement) {
    const target = pickedGroup(choice.value);
    groupError.value = target instanceof ParseError
      ? target.message
      : undefined;
    if (target instanceof ParseError) return focusField(form, "new-group");
    void action.run(async () => {
      // One source group at a time: each move is planned from the roster as
      // pushed back after the one before (Prosody pushes before it answers
      // the set), so a contact picked in two groups loses neither move.
      for (const { group, jids } of sources) {
        await roster.moveContacts(jids, group, target);
      }
    });
  }

  return (
    <DialogFrame
      title="Select Destination"
      describedBy={summaryId}
      onCancel={dialogs.close}
      onSubmit={submit}
    >
      <p class="dialog-summary" id={summaryId}>
        Move {countText(count, "contact", "contacts")}{" "}
        to an existing group or a new one.
      </p>
      <GroupPicker
        label="Destination group"
        groups={groups}
        choice={choice.value}
        error={groupError.value}
        onChange={(next) => (choice.value = next)}
      />
      <DialogActions
        action={action}
        label="Move"
        pendingLabel="Moving…"
        onCancel={dialogs.close}
      />
    </DialogFrame>
  );
}
