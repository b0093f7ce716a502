import type { SettingsModel } from "./settings_model.ts";

export interface FormActionsProps {
  model: SettingsModel;
}

/** Save and Revert, with the outcome announced to screen readers. */
export function FormActions({ model }: FormActionsProps) {
  // aria-disabled, not disabled: a disabled button drops keyboard focus
  // to the page, and the model ignores a second Save or Revert anyway.
  const busy = model.activity.value !== "idle";
  const status = model.status.value;
  return (
    <div class="actions">
      <button type="submit" class="primary" aria-disabled={busy}>
        Save
      </button>
      <button
        type="button"
        aria-disabled={busy}
        title="Discard changes and load the most recently saved settings"
        onClick={() => model.revert()}
      >
        Revert
      </button>
      {/* Always rendered: a live region must exist before its text changes. */}
      <p
        class="status"
        role="status"
        aria-live="polite"
        data-tone={status?.tone}
      >
        {status?.text}
      </p>
      {!status && model.dirty.value && <p class="unsaved">Unsaved changes</p>}
    </div>
  );
}
