import { TextField } from "./text_field.tsx";
import type { SettingsModel } from "./settings_model.ts";

export interface ServerFieldsProps {
  model: SettingsModel;
}

/** The IM&P nodes desktops connect to, in the order they try them. */
export function ServerFields({ model }: ServerFieldsProps) {
  return (
    <fieldset>
      <legend>Chat servers</legend>
      <TextField
        model={model}
        field="primary"
        label="Primary Chat Server"
        inputMode="url"
        hint="BOSH URL of the IM&P node desktops try first, such as https://imp1.example.com:5280/httpbinding."
      />
      <TextField
        model={model}
        field="secondary"
        label="Secondary Chat Server"
        inputMode="url"
        hint="Optional. Used only when the primary node cannot be reached."
      />
    </fieldset>
  );
}
