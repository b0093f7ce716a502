import { useSignal } from "@preact/signals";
import type { TargetedSubmitEvent } from "preact";
import type { SettingsModel } from "./settings_model.ts";

export interface SignInFormProps {
  model: SettingsModel;
}

/** The administrator's sign-in; the service sets an HttpOnly session cookie. */
export function SignInForm({ model }: SignInFormProps) {
  const username = useSignal("admin");
  const password = useSignal("");
  const error = model.signInError.value;
  const busy = model.activity.value !== "idle";

  async function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const signedIn = await model.signIn(username.value, password.value);
    if (!signedIn) password.value = "";
  }

  return (
    <form
      class="sign-in"
      onSubmit={onSubmit}
      aria-describedby={error ? "sign-in-error" : undefined}
    >
      <p class="intro">
        Sign in as the Desktop Chat administrator to change the chat server
        settings.
      </p>
      {error && <p class="alert" role="alert" id="sign-in-error">{error}</p>}
      <div class="field">
        <label class="field-label" for="sign-in-username">User name</label>
        <input
          id="sign-in-username"
          name="username"
          type="text"
          autocomplete="username"
          autocapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(event) => (username.value = event.currentTarget.value)}
        />
      </div>
      <div class="field">
        <label class="field-label" for="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(event) => (password.value = event.currentTarget.value)}
        />
      </div>
      <div class="actions">
        <button type="submit" class="primary" aria-disabled={busy}>
          {model.activity.value === "signing-in" ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
