import { checkOnBlur, FieldMessages, TextField } from "./text_field.tsx";
import { isSizeUnit, SIZE_UNITS } from "./settings_form_values.ts";
import type { SettingsModel } from "./settings_model.ts";

export interface AttachmentFieldsProps {
  model: SettingsModel;
}

/** The attachment policy every desktop enforces: on/off, size limit, allowed types. */
export function AttachmentFields({ model }: AttachmentFieldsProps) {
  return (
    <fieldset>
      <legend>File attachments</legend>
      <div class="field">
        <span class="field-label" aria-hidden="true">Attachments</span>
        <div class="control">
          <label class="checkbox">
            <input
              type="checkbox"
              name="attachmentsEnabled"
              checked={model.fields.attachmentsEnabled}
              onChange={(event) =>
                model.edit("attachmentsEnabled", event.currentTarget.checked)}
            />
            Allow agents to send file attachments
          </label>
        </div>
      </div>
      <MaxSizeField model={model} />
      <TextField
        model={model}
        field="allowedTypes"
        label="Allowed file types"
        hint="Comma-separated extensions or MIME types, such as .pdf, .png, image/*."
      />
    </fieldset>
  );
}

function MaxSizeField({ model }: AttachmentFieldsProps) {
  const id = "field-maxSize";
  const error = model.fieldErrors.value.maxSize;
  return (
    <div class="field">
      <label class="field-label" for={id}>Maximum size</label>
      <div class="control">
        <div class="size">
          <input
            id={id}
            name="maxSize"
            type="text"
            inputMode="decimal"
            autocomplete="off"
            value={model.fields.maxSize}
            aria-invalid={error ? "true" : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            onInput={(event) =>
              model.edit("maxSize", event.currentTarget.value)}
            onBlur={checkOnBlur(model, "maxSize")}
          />
          <label class="visually-hidden" for="field-maxSizeUnit">
            Maximum size unit
          </label>
          <select
            id="field-maxSizeUnit"
            name="maxSizeUnit"
            value={model.fields.maxSizeUnit}
            onChange={(event) => {
              const unit = event.currentTarget.value;
              if (isSizeUnit(unit)) model.edit("maxSizeUnit", unit);
              model.check("maxSize");
            }}
          >
            {Object.keys(SIZE_UNITS).map((unit) => (
              <option key={unit} value={unit}>{unit}</option>
            ))}
          </select>
        </div>
        <FieldMessages
          id={id}
          hint="Per file, up to 100 MB (1 MB = 1024 KB)."
          error={error}
        />
      </div>
    </div>
  );
}
