import { useSignal } from "@preact/signals";
import type { TargetedKeyboardEvent } from "preact";
import type { PresenceModel } from "../../shared/xmpp/presence/presence_store.ts";
import { PRESENCE_LIMITS } from "../../shared/xmpp/presence/presence_state.ts";

export interface StatusMessageProps {
  readonly presence: PresenceModel;
}

/** RFC 6121 §4.7.2.2 `<status/>`: set on Enter or when leaving the field. */
export function StatusMessage({ presence }: StatusMessageProps) {
  const draft = useSignal<string | undefined>(undefined);
  const own = presence.own.value;
  const shown = draft.value ?? own.status;

  function apply() {
    const text = draft.peek();
    draft.value = undefined;
    if (text === undefined || text.trim() === own.status) return;
    void presence.setPresence(own.show, text.trim());
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") apply();
    if (event.key === "Escape" && draft.peek() !== undefined) {
      event.stopPropagation();
      draft.value = undefined;
    }
  }

  return (
    <input
      class="status-message"
      type="text"
      aria-label="Status message"
      placeholder="What's your status?"
      maxLength={PRESENCE_LIMITS.statusLength}
      value={shown}
      onInput={(event) => (draft.value = event.currentTarget.value)}
      onKeyDown={onKeyDown}
      onBlur={apply}
    />
  );
}
