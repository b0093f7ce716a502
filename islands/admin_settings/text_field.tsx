import type { FieldName } from "./settings_form_values.ts";
import type { SettingsModel } from "./settings_model.ts";

export type TextFieldName = "primary" | "secondary" | "allowedTypes";

export interface TextFieldProps {
  model: SettingsModel;
  field: TextFieldName;
  label: string;
  hint?: string;
  inputMode?: "url" | "decimal" | "text";
}

/** A labelled text input bound to one field of the model, with its hint and error. */
export function TextField(
  { model, field, label, hint, inputMode = "text" }: TextFieldProps,
) {
  const id = `field-${field}`;
  const error = model.fieldErrors.value[field];
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`]
    .filter(Boolean).join(" ");
  return (
    <div class="field">
      <label class="field-label" for={id}>{label}</label>
      <div class="control">
        <input
          id={id}
          name={field}
          type="text"
          inputMode={inputMode}
          autocomplete="off"
          spellcheck={false}
          value={model.fields[field]}
          aria-invalid={error ? "true" : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(event) => model.edit(field, event.currentTarget.value)}
          onBlur={checkOnBlur(model, field)}
        />
        <FieldMessages id={id} hint={hint} error={error} />
      </div>
    </div>
  );
}

export interface FieldMessagesProps {
  id: string;
  hint?: string;
  error?: string;
}

export function FieldMessages({ id, hint, error }: FieldMessagesProps) {
  return (
    <>
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`}>{error}</p>}
    </>
  );
}

/** Checks the field as focus leaves it, unless focus went to a button. */
export function checkOnBlur(
  model: SettingsModel,
  field: FieldName,
): (event: FocusEvent) => void {
  return (event) => {
    // An error appearing now would move the button under the pointer before
    // the click lands; Save checks every field itself, Revert clears them.
    if (!(event.relatedTarget instanceof HTMLButtonElement)) {
      model.check(field);
    }
  };
}
