import { useSignal } from "@preact/signals";
import { useState } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { ParseError } from "../../../shared/xmpp/core/errors.ts";
import { ROSTER_LIMITS } from "../../../shared/xmpp/roster/roster_parser.ts";
import { NO_GROUP } from "../../../shared/xmpp/roster/roster_state.ts";
import type { DialogModel, DialogRequest } from "../dialog_model.ts";
import { DialogActions, DialogFrame, focusField } from "./dialog_frame.tsx";
import { DialogTextField } from "./dialog_text_field.tsx";
import { editedGroups } from "./dialog_logic.ts";
import { useDialogAction } from "./use_dialog_action.ts";

export interface EditContactDialogProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly request: Extract<DialogRequest, { kind: "edit-contact" }>;
}

/** Seed "Edit Contact": the display name and any number of groups. */
export function EditContactDialog(
  { account, dialogs, request }: EditContactDialogProps,
) {
  const { roster } = account;
  const item = roster.contacts.value.get(request.jid);
  const name = useSignal(item?.name ?? "");
  const [original] = useState(() => item?.groups ?? []);
  const ticked = useSignal<ReadonlySet<string>>(new Set(original));
  const newGroup = useSignal("");
  const groupError = useSignal<string | undefined>(undefined);
  const action = useDialogAction(dialogs);
  // Every group, and the contact's own even if another client emptied them.
  const shown = [
    ...new Set([
      ...roster.groups.value.map((group) => group.name),
      ...original,
    ]),
  ].filter((group) => group !== NO_GROUP);

  function toggle(group: string, on: boolean) {
    const next = new Set(ticked.value);
    if (on) next.add(group);
    else next.delete(group);
    ticked.value = next;
  }

  function submit(form: HTMLFormElement) {
    const groups = editedGroups(shown, ticked.value, newGroup.value);
    groupError.value = groups instanceof ParseError
      ? groups.message
      : undefined;
    if (groups instanceof ParseError) return focusField(form, "new-group");
    void action.run(() =>
      roster.editContact(request.jid, { name: name.value, groups })
    );
  }

  return (
    <DialogFrame
      title="Edit Contact"
      onCancel={dialogs.close}
      onSubmit={submit}
    >
      {item === undefined
        ? (
          <p class="alert" role="alert">
            {request.jid} is no longer in your contacts.
          </p>
        )
        : (
          <>
            <p class="dialog-value dialog-jid">{request.jid}</p>
            <DialogTextField
              name="name"
              label="Display name"
              value={name.value}
              maxLength={ROSTER_LIMITS.nameLength}
              autofocus
              onInput={(text) => (name.value = text)}
            />
            <fieldset class="dialog-groups">
              <legend>Groups</legend>
              {shown.map((group) => (
                <label key={group} class="dialog-check">
                  <input
                    type="checkbox"
                    checked={ticked.value.has(group)}
                    onChange={(event) =>
                      toggle(group, event.currentTarget.checked)}
                  />
                  {group}
                </label>
              ))}
              <p class="dialog-hint">
                With no group ticked, the contact is listed in Other Contacts.
              </p>
            </fieldset>
            <DialogTextField
              name="new-group"
              label="New group"
              value={newGroup.value}
              maxLength={ROSTER_LIMITS.groupLength}
              error={groupError.value}
              onInput={(text) => (newGroup.value = text)}
            />
          </>
        )}
      <DialogActions
        action={action}
        label="Save"
        pendingLabel="Saving…"
        cancelOnly={item === undefined}
        onCancel={dialogs.close}
      />
    </DialogFrame>
  );
}
