import { useSignal } from "@preact/signals";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { ParseError } from "../../../shared/xmpp/core/errors.ts";
import { ROSTER_LIMITS } from "../../../shared/xmpp/roster/roster_parser.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame, focusField } from "./dialog_frame.tsx";
import { DialogTextField } from "./dialog_text_field.tsx";
import {
  addedGroups,
  contactAddress,
  type GroupChoice,
  initialChoice,
  pickedGroup,
  pickerGroups,
} from "./dialog_logic.ts";
import { GroupPicker } from "./group_picker.tsx";
import { useDialogAction } from "./use_dialog_action.ts";

export interface AddContactDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "add-contact" }>;
}

/** Seed "Add Contact": display name and group, then ask for presence. */
export function AddContactDialog(
  { account, dialogs, request }: AddContactDialogProps,
) {
  const { roster } = account;
  const groups = pickerGroups(roster.groups.value.map((group) => group.name));
  const address = useSignal(request.jid ?? "");
  const name = useSignal(request.name ?? "");
  const choice = useSignal<GroupChoice>(initialChoice(groups, request.group));
  const addressError = useSignal<string | undefined>(undefined);
  const groupError = useSignal<string | undefined>(undefined);
  const action = useDialogAction(dialogs);

  function submit(form: HTMLFormElement) {
    const jid = contactAddress(address.value, account.jid);
    const group = pickedGroup(choice.value);
    addressError.value = jid instanceof ParseError ? jid.message : undefined;
    groupError.value = group instanceof ParseError ? group.message : undefined;
    if (jid instanceof ParseError) return focusField(form, "address");
    if (group instanceof ParseError) return focusField(form, "new-group");
    const current = roster.contacts.peek().get(jid)?.groups;
    void action.run(async () => {
      await roster.addContact(jid, name.value, addedGroups(current, group));
      // RFC 6121 §3.1.1: ask to see the new contact's presence.
      await roster.subscribe(jid);
    });
  }

  return (
    <DialogFrame title="Add Contact" onCancel={dialogs.close} onSubmit={submit}>
      {request.jid === undefined
        ? (
          <DialogTextField
            name="address"
            label="Address"
            placeholder="name@example.com"
            value={address.value}
            error={addressError.value}
            autofocus
            onInput={(text) => (address.value = text)}
          />
        )
        : <AddressText jid={request.jid} error={addressError.value} />}
      <DialogTextField
        name="name"
        label="Display name"
        value={name.value}
        maxLength={ROSTER_LIMITS.nameLength}
        autofocus={request.jid !== undefined}
        onInput={(text) => (name.value = text)}
      />
      <GroupPicker
        label="Add to Group"
        groups={groups}
        choice={choice.value}
        error={groupError.value}
        onChange={(next) => (choice.value = next)}
      />
      <DialogActions
        action={action}
        label="Add"
        pendingLabel="Adding…"
        onCancel={dialogs.close}
      />
    </DialogFrame>
  );
}

interface AddressTextProps {
  readonly jid: string;
  readonly error?: string;
}

/** The address picked from search or Recent Chats, not for editing. */
function AddressText({ jid, error }: AddressTextProps) {
  return (
    <div class="field">
      <span class="dialog-label">Address</span>
      <span class="dialog-value">{jid}</span>
      {error !== undefined && <p class="field-error" role="alert">{error}</p>}
    </div>
  );
}
