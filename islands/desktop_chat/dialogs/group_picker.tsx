import { useId } from "preact/hooks";
import { ROSTER_LIMITS } from "../../../shared/xmpp/roster/roster_parser.ts";
import { DialogTextField } from "./dialog_text_field.tsx";
import { type GroupChoice, groupLabel } from "./dialog_logic.ts";

export interface GroupPickerProps {
  readonly label: string;
  /** The groups to offer, from pickerGroups(). */
  readonly groups: readonly string[];
  readonly choice: GroupChoice;
  readonly onChange: (choice: GroupChoice) => void;
  /** Why the typed new group name cannot be used. */
  readonly error?: string;
}

// Options are numbered, so no group name can be mistaken for this one.
const NEW_GROUP = "new";

/** Seed "Add to Group" / "Select Destination": an existing group or a new one. */
export function GroupPicker(
  { label, groups, choice, onChange, error }: GroupPickerProps,
) {
  const id = useId();
  // A chosen group emptied meanwhile by another client stays selectable.
  const offered = choice.kind === "existing" && !groups.includes(choice.group)
    ? [...groups, choice.group]
    : groups;
  const selected = choice.kind === "new"
    ? NEW_GROUP
    : String(offered.indexOf(choice.group));

  function pick(value: string) {
    onChange(
      value === NEW_GROUP
        ? { kind: "new", name: "" }
        : { kind: "existing", group: offered[Number(value)] },
    );
  }

  return (
    <>
      <div class="field">
        <label for={id}>{label}</label>
        <select
          id={id}
          name="group"
          value={selected}
          onChange={(event) => pick(event.currentTarget.value)}
        >
          {offered.map((group, index) => (
            <option key={group} value={String(index)}>
              {groupLabel(group)}
            </option>
          ))}
          <option value={NEW_GROUP}>New group…</option>
        </select>
      </div>
      {choice.kind === "new" && (
        <DialogTextField
          name="new-group"
          label="New group name"
          value={choice.name}
          maxLength={ROSTER_LIMITS.groupLength}
          error={error}
          onInput={(name) => onChange({ kind: "new", name })}
        />
      )}
    </>
  );
}
