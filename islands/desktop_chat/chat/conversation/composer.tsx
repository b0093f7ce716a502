import type { ComponentChildren, TargetedKeyboardEvent } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatsModel } from "../../../../shared/xmpp/chat/chat_model.ts";
import { MESSAGE_LIMITS } from "../../../../shared/xmpp/chat/message_parser.ts";
import { PresenceIcon } from "../../presence_icon.tsx";
import { draftOf, keepDraft } from "./drafts.ts";

export interface ComposerProps {
  readonly chats: ChatsModel;
  /** Keys the draft kept across tab switches. */
  readonly account: object;
  readonly jid: string;
  /** Why messages cannot go now; the composer is disabled while set. */
  readonly blocked: string | undefined;
  /** Send a file (issue 15), left of the typing area. */
  readonly attach?: ComponentChildren;
}

/** The store keeps at most this much of a body; the field says so first. */
const LIMIT = MESSAGE_LIMITS.bodyLength;
/** From here on the field shows how much room is left. */
const NEAR_LIMIT = LIMIT * 0.9;

// CSS Box Sizing 4 `field-sizing: content` grows the field with its text;
// where it is missing, the height follows scrollHeight after each input.
const SIZES_ITSELF = typeof CSS !== "undefined" &&
  CSS.supports("field-sizing", "content");

/**
 * The typing area (seed: "Type your message in the typing area"): Enter
 * sends, Shift+Enter starts a new line; the browser's own clipboard and
 * context menu are left alone. Every change is told to the chats model,
 * which sends XEP-0085 composing/paused/active as they fall due.
 */
export function Composer(
  { chats, account, jid, blocked, attach }: ComposerProps,
) {
  const field = useRef<HTMLTextAreaElement>(null);
  const [draft, setDraft] = useState(() => draftOf(account, jid));
  const disabled = blocked !== undefined;
  const reasonId = `composer-reason-${jid}`;

  useEffect(() => keepDraft(account, jid, draft), [draft]);
  useLayoutEffect(() => {
    const element = field.current;
    if (SIZES_ITSELF || element === null) return;
    element.style.height = "auto";
    element.style.height = `${element.scrollHeight + 2}px`;
  }, [draft]);

  function change(text: string): void {
    setDraft(text);
    chats.typing(jid, text);
  }

  function send(): void {
    const body = draft;
    if (disabled || body.trim() === "") return;
    // The message first: the transport's flush is then queued ahead of the
    // render that clearing the field schedules, so the request leaves before
    // Preact works (bench message_to_paint: ~1.6 ms on the sender).
    chats.send(jid, body).catch((error: unknown) => {
      // Refused before it became a message (the store keeps and marks
      // every message it took): give the text back rather than lose it.
      console.error("desktop-chat: send failed", error);
      setDraft((now) => (now === "" ? body : now));
    });
    setDraft("");
  }

  function onKeyDown(event: TargetedKeyboardEvent<HTMLTextAreaElement>) {
    // An IME composition uses Enter to commit its text (UI Events §5.7.4).
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <div class="composer">
      <p id={reasonId} class="composer-disabled-reason" role="status">
        {blocked !== undefined && <PresenceIcon availability="offline" />}
        {blocked !== undefined && <span>{blocked}</span>}
      </p>
      <div class="composer-row">
        {attach}
        <textarea
          ref={field}
          class="composer-field"
          aria-label="Message"
          aria-describedby={disabled ? reasonId : undefined}
          placeholder={disabled ? "" : "Type a message"}
          rows={1}
          // UTF-16 units, never more code points than the store keeps.
          maxLength={LIMIT}
          value={draft}
          disabled={disabled}
          onInput={(event) => change(event.currentTarget.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          class="icon-button send-button"
          aria-label="Send"
          title="Send (Enter)"
          disabled={disabled || draft.trim() === ""}
          onClick={() => {
            send();
            field.current?.focus();
          }}
        >
          <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
            <path d="M2 8l12-5.5L9.5 14l-2-4.5z" />
          </svg>
        </button>
      </div>
      {draft.length >= NEAR_LIMIT && (
        <p class="composer-count" aria-live="polite">
          {draft.length.toLocaleString()} / {LIMIT.toLocaleString()}
        </p>
      )}
    </div>
  );
}
