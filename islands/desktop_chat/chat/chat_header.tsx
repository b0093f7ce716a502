import type { Account } from "../../../shared/xmpp/session/account.ts";
import {
  claimText,
  looksLikeText,
  NOT_IN_CONTACTS,
  personLabel,
} from "../../../shared/xmpp/identity/person.ts";
import { WarningIcon } from "../identity/identity_notes.tsx";
import { peopleOf } from "../identity/people.ts";
import { AVAILABILITY_LABEL } from "../presence_icon.tsx";
import type { ChatWindowModel } from "./chat_window_model.ts";
import {
  CloseIcon,
  GrowIcon,
  MinimiseIcon,
  RestoreIcon,
  ShrinkIcon,
} from "./chat_icons.tsx";
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
  const person = peopleOf(account).personOf(jid);
  const presence = account.presence.presenceOf(jid).value;
  const state = AVAILABILITY_LABEL[presence.availability];
  // A stranger's presence is not shared with the agent (RFC 6121 §4): what
  // matters under their address is that they are no contact (issue 14).
  // A contact whose own vCard name imitates another's: the address under
  // the name, so the agent can compare it with the banner's.
  const detail = !person.contact
    ? [NOT_IN_CONTACTS, ...(person.claim ? [claimText(person.claim)] : [])]
      .join(" · ")
    : [
      ...(person.looksLike ? [jid] : []),
      state,
      ...(presence.status ? [presence.status] : []),
    ].join(" · ");
  const flag = person.looksLike && looksLikeText(person.looksLike);
  return (
    <div class="chat-heading">
      <div class="chat-title-line">
        {flag && (
          // The words are also in the banner under the header.
          <span class="title-flag" role="img" aria-label={flag} title={flag}>
            <WarningIcon />
          </span>
        )}
        <h2
          class="chat-title"
          id={titleId}
          title={personLabel(person)}
          data-contact={String(person.contact)}
          data-looks-like={person.looksLike?.jid}
        >
          {person.name}
        </h2>
      </div>
      {!minimised && <p class="chat-subtitle" title={detail}>{detail}</p>}
    </div>
  );
}
