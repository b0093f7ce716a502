import type { ChatState } from "../../../../shared/xmpp/chat/chat_model.ts";

export interface TypingIndicatorProps {
  readonly name: string;
  readonly state: ChatState | undefined;
}

/**
 * "<Name> is typing…" while the contact's last chat state is composing
 * (XEP-0085 §2.1); paused, active, inactive and gone all mean they are not
 * typing now, so it is empty then. Always mounted: a live region must exist
 * before its text changes to be announced.
 */
export function TypingIndicator({ name, state }: TypingIndicatorProps) {
  const typing = state === "composing";
  return (
    <p class="typing-indicator" aria-live="polite">
      {typing && (
        <>
          <span class="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {name} is typing…
        </>
      )}
    </p>
  );
}
