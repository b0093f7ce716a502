import { useEffect, useRef } from "preact/hooks";
import { SettingsForm } from "./settings_form.tsx";
import { SignInForm } from "./sign_in_form.tsx";
import type { SettingsModel } from "./settings_model.ts";

export interface DesktopChatSettingsProps {
  model: SettingsModel;
}

export const TITLE = "Desktop Chat Server Settings";

/** The admin gadget: sign-in first, then the settings form. */
export function DesktopChatSettings({ model }: DesktopChatSettingsProps) {
  const phase = model.phase.value;
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef<typeof phase | null>(null);
  useEffect(() => {
    // Signing in or out replaces the form that had focus: move it to the
    // heading so keyboard and screen-reader users start from the top, but
    // leave the page's focus alone when the gadget first appears.
    if (shown.current !== null && shown.current !== "checking") {
      heading.current?.focus();
    }
    shown.current = phase;
  }, [phase]);
  return (
    <section class="panel" aria-labelledby="settings-title">
      <header class="panel-header">
        <h1 id="settings-title" tabIndex={-1} ref={heading}>{TITLE}</h1>
        {phase === "signed-in" && <Account model={model} />}
      </header>
      <div class="panel-body">
        {phase === "checking" && <p class="loading" role="status">Loading…</p>}
        {phase === "signed-out" && <SignInForm model={model} />}
        {phase === "signed-in" && <SettingsForm model={model} />}
      </div>
    </section>
  );
}

function Account({ model }: DesktopChatSettingsProps) {
  return (
    <div class="account">
      <span>
        Signed in as <strong>{model.username}</strong>
      </span>
      <button type="button" class="link" onClick={() => model.signOut()}>
        Sign out
      </button>
    </div>
  );
}
