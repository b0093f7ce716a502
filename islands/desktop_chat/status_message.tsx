import { useSignal } from "@preact/signals";
import type { TargetedKeyboardEvent } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { PresenceModel } from "../../shared/xmpp/presence/presence_store.ts";
import { PRESENCE_LIMITS } from "../../shared/xmpp/presence/presence_state.ts";

export interface StatusMessageProps {
  readonly presence: PresenceModel;
}

/** How long "Status updated" stays before it fades out of the way. */
export const STATUS_CONFIRM_MS = 3000;

/**
 * RFC 6121 §4.7.2.2 `<status/>`: set on Enter or when leaving the field.
 * Presence has no acknowledgement, so "updated" means it went out on the
 * stream; a failure is presence.error, shown here for every presence change.
 */
export function StatusMessage({ presence }: StatusMessageProps) {
  const draft = useSignal<string | undefined>(undefined);
  const saved = useSignal(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const own = presence.own.value;
  const error = presence.error.value;
  const shown = draft.value ?? own.status;

  async function apply() {
    const text = draft.peek();
    draft.value = undefined;
    if (text === undefined || text.trim() === own.status) return;
    clearTimeout(timer.current);
    saved.value = false;
    try {
      await presence.setPresence(own.show, text.trim());
    } catch {
      // Already on presence.error, which the line below shows.
      return;
    }
    saved.value = true;
    timer.current = setTimeout(() => (saved.value = false), STATUS_CONFIRM_MS);
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") void apply();
    if (event.key === "Escape" && draft.peek() !== undefined) {
      event.stopPropagation();
      draft.value = undefined;
    }
  }

  return (
    <div class="status-field" data-saved={saved.value}>
      <input
        class="status-message"
        type="text"
        aria-label="Status message"
        placeholder="What's your status?"
        maxLength={PRESENCE_LIMITS.statusLength}
        value={shown}
        onInput={(event) => (draft.value = event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onBlur={() => void apply()}
      />
      {/* Always rendered: a live region must exist before its text changes. */}
      <p class="status-feedback" role="status">
        {saved.value && error === undefined ? "✓ Status updated" : ""}
      </p>
      {error && <p class="state-error" role="alert">{error.message}</p>}
    </div>
  );
}
