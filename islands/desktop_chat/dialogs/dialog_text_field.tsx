import { useId } from "preact/hooks";

export interface DialogTextFieldProps {
  /** The form control's name, for focusField(). */
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly error?: string;
  readonly maxLength?: number;
  readonly autofocus?: boolean;
  readonly placeholder?: string;
}

/** A labelled text input whose error is tied to it (WCAG 3.3.1). */
export function DialogTextField(
  { name, label, value, onInput, error, maxLength, autofocus, placeholder }:
    DialogTextFieldProps,
) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type="text"
        autocomplete="off"
        spellcheck={false}
        value={value}
        maxLength={maxLength}
        autofocus={autofocus}
        placeholder={placeholder}
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : `${id}-error`}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      {error !== undefined && (
        <p class="field-error" id={`${id}-error`}>{error}</p>
      )}
    </div>
  );
}
