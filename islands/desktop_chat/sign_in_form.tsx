import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { TargetedSubmitEvent } from "preact";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { SignInAlert } from "./sign_in_alert.tsx";

export interface SignInFormProps {
  readonly session: SessionModel;
}

/** Seed "Sign In": an explicit username and password, no SSO. */
export function SignInForm({ session }: SignInFormProps) {
  // After a sign-out or a lost connection the agent only retypes the password.
  const username = useSignal(session.username.peek());
  const password = useSignal("");
  const failure = session.failure.value;
  const status = session.status.value;
  const busy = status !== "offline";
  // The agent types for a few seconds: read the settings meanwhile.
  useEffect(() => session.prepare(), [session]);

  async function submit() {
    await session.signIn(username.peek(), password.peek());
    // A refused password is typed again; for a server problem Retry reuses it.
    if (session.failure.peek()?.kind === "credentials") password.value = "";
  }

  function onSubmit(event: TargetedSubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!busy) void submit();
  }

  return (
    <form
      class="sign-in"
      onSubmit={onSubmit}
      aria-describedby={failure ? "dc-sign-in-error" : undefined}
      aria-busy={busy}
    >
      <h2 class="sign-in-title">Sign in to Desktop Chat</h2>
      {failure && (
        <SignInAlert failure={failure} onRetry={busy ? undefined : submit} />
      )}
      <div class="field">
        <label for="dc-username">Username</label>
        <input
          id="dc-username"
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
        <label for="dc-password">Password</label>
        <input
          id="dc-password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={(event) => (password.value = event.currentTarget.value)}
        />
      </div>
      <button
        type="submit"
        class="button button-primary sign-in-submit"
        aria-disabled={busy}
      >
        {status === "connecting"
          ? "Signing in…"
          : status === "leaving"
          ? "Signing out…"
          : "Sign In"}
      </button>
    </form>
  );
}
