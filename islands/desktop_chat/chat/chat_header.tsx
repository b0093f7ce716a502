import type { Account } from "../../../shared/xmpp/session/account.ts";
import { AVAILABILITY_LABEL } from "../presence_icon.tsx";
import type { ChatWindowModel } from "./chat_window_model.ts";
import {
  CloseIcon,
  GrowIcon,
  MinimiseIcon,
  RestoreIcon,
  ShrinkIcon,
} from "./chat_icons.tsx";
import { useChatName } from "./use_chat_name.ts";
import { useWindowDrag } from "./use_window_drag.ts";

export interface ChatHeaderProps {
  readonly account: Account;
  readonly model: ChatWindowModel;
  readonly titleId: string;
}

/**
 * Seed "Chat Window": the contact's display name; a click minimises or
 * restores, a drag moves; minimised, the number of chats with unread
 * messages; the resize button; X closes all chats after a confirmation.
 */
export function ChatHeader({ account, model, titleId }: ChatHeaderProps) {
  const drag = useWindowDrag(() => model.position.peek(), model.moveTo);
  const minimised = model.state.value === "minimised";
  const large = model.size.value === "large";
  const active = account.chats.active.value;
  const unread = account.chats.unreadChats.value;
  return (
    <header
      class="chat-window-header"
      onPointerDown={drag.onPointerDown}
      onPointerMove={drag.onPointerMove}
      onPointerUp={drag.onPointerUp}
      onPointerCancel={drag.onPointerUp}
      onClick={() => {
        if (!drag.consumeDragClick()) model.toggleMinimised();
      }}
    >
      {active === undefined
        ? (
          <div class="chat-heading">
            <h2 class="chat-title" id={titleId}>Chat</h2>
          </div>
        )
        : (
          <ChatTitle
            account={account}
            jid={active}
            titleId={titleId}
            minimised={minimised}
          />
        )}
      {minimised && unread > 0 && (
        <>
          <span
            class="chat-unread-count"
            aria-hidden="true"
            title={unreadText(unread)}
          >
            {unread}
          </span>
          <span class="visually-hidden">{unreadText(unread)}</span>
        </>
      )}
      <div
        class="chat-window-actions"
        // The buttons' clicks are theirs, not the header's toggle (their
        // glyph may already be re-rendered away when it would look).
        onClick={(event) => event.stopPropagation()}
      >
        {!minimised && (
          <button
            type="button"
            class="icon-button chat-header-button"
            aria-label={large ? "Smaller window" : "Larger window"}
            title={large ? "Smaller window" : "Larger window"}
            onClick={model.toggleSize}
          >
            {large ? <ShrinkIcon /> : <GrowIcon />}
          </button>
        )}
        <button
          type="button"
          class="icon-button chat-header-button"
          aria-label={minimised ? "Restore chat" : "Minimise chat"}
          title={minimised ? "Restore chat" : "Minimise chat"}
          aria-expanded={!minimised}
          onClick={model.toggleMinimised}
        >
          {minimised ? <RestoreIcon /> : <MinimiseIcon />}
        </button>
        <button
          type="button"
          class="icon-button chat-header-button"
          aria-label="Close all chats"
          title="Close all chats"
          aria-haspopup="dialog"
          onClick={model.askCloseAll}
        >
          <CloseIcon />
        </button>
      </div>
    </header>
  );
}

function unreadText(count: number): string {
  return count === 1
    ? "1 chat with unread messages"
    : `${count} chats with unread messages`;
}

interface ChatTitleProps {
  readonly account: Account;
  readonly jid: string;
  readonly titleId: string;
  readonly minimised: boolean;
}

function ChatTitle({ account, jid, titleId, minimised }: ChatTitleProps) {
  const name = useChatName(account, jid);
  const presence = account.presence.presenceOf(jid).value;
  const state = AVAILABILITY_LABEL[presence.availability];
  const detail = presence.status ? `${state} · ${presence.status}` : state;
  return (
    <div class="chat-heading">
      <h2
        class="chat-title"
        id={titleId}
        title={name === jid ? jid : `${name} (${jid})`}
      >
        {name}
      </h2>
      {!minimised && <p class="chat-subtitle" title={detail}>{detail}</p>}
    </div>
  );
}
