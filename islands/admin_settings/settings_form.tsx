import type { TargetedSubmitEvent } from "preact";
import { AttachmentFields } from "./attachment_fields.tsx";
import { FormActions } from "./form_actions.tsx";
import { ServerFields } from "./server_fields.tsx";
import type { SettingsModel } from "./settings_model.ts";

export interface SettingsFormProps {
  model: SettingsModel;
}

export function SettingsForm({ model }: SettingsFormProps) {
  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const outcome = await model.save();
    // Keyboard and screen-reader users land on what needs fixing.
    if (!outcome.ok && outcome.field !== null) {
      form.querySelector<HTMLElement>(`[name="${outcome.field}"]`)?.focus();
    }
  }
  return (
    // noValidate: the shared schema reports errors in the page's own words.
    <form
      noValidate
      onSubmit={onSubmit}
      aria-busy={model.activity.value !== "idle"}
    >
      <p class="intro">
        Desktop Chat connects agents' browsers to Cisco IM&amp;P over BOSH. The
        URL is https://&lt;host&gt;:5280/&lt;HTTP binding path&gt; (see Cisco
        XCP Web Connection Manager in the IM&amp;P service parameters).
      </p>
      <ServerFields model={model} />
      <AttachmentFields model={model} />
      <FormActions model={model} />
    </form>
  );
}
