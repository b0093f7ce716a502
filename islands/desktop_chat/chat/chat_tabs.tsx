import { useLayoutEffect, useRef } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { PresenceIcon } from "../presence_icon.tsx";
import { CloseIcon } from "./chat_icons.tsx";
import { MoreChats } from "./more_chats.tsx";
import { movedIndex, tabMove, tabStrip } from "./tab_strip.ts";
import {
  looksLikeText,
  NOT_IN_CONTACTS,
  personLabel,
} from "../../../shared/xmpp/identity/person.ts";
import { WarningIcon } from "../identity/identity_notes.tsx";
import { peopleOf } from "../identity/people.ts";

export interface ChatTabsProps {
  readonly account: Account;
  /** Ids for tab ↔ panel (aria-controls, aria-labelledby). */
  readonly tabId: (jid: string) => string;
  readonly panelId: string;
}

/**
 * Seed "Multiple chats": a tab per chat at the bottom, three at most, the
 * rest behind "More chats"; WAI-ARIA APG Tabs with automatic activation
 * (roving tabindex; arrows, Home, End; Delete closes the focused chat).
 */
export function ChatTabs({ account, tabId, panelId }: ChatTabsProps) {
  const chats = account.chats;
  const active = chats.active.value;
  const shown = useRef<readonly string[]>([]);
  const { visible, hidden } = tabStrip(chats.open.value, active, shown.current);
  shown.current = visible;
  const list = useRef<HTMLDivElement>(null);
  const refocus = useRef(false);

  // After an arrow key the new active tab takes focus once it is rendered.
  useLayoutEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    list.current?.querySelector<HTMLElement>("[aria-selected=true]")?.focus();
  });

  function onKeyDown(event: KeyboardEvent) {
    const at = active === undefined ? -1 : visible.indexOf(active);
    if (event.key === "Delete" && active !== undefined) {
      event.preventDefault();
      refocus.current = true;
      chats.closeChat(active);
      return;
    }
    const move = tabMove(event.key);
    if (move === undefined) return;
    event.preventDefault();
    const next = visible[movedIndex(at, visible.length, move)];
    if (next === undefined) return;
    refocus.current = true;
    chats.openChat(next);
  }

  return (
    <div class="chat-tabs">
      <div
        ref={list}
        role="tablist"
        aria-label="Chats"
        class="chat-tablist"
        onKeyDown={onKeyDown}
      >
        {visible.map((jid) => (
          <ChatTab
            key={jid}
            account={account}
            jid={jid}
            selected={jid === active}
            id={tabId(jid)}
            panelId={panelId}
          />
        ))}
      </div>
      {hidden.length > 0 && <MoreChats account={account} hidden={hidden} />}
    </div>
  );
}

interface ChatTabProps {
  readonly account: Account;
  readonly jid: string;
  readonly selected: boolean;
  readonly id: string;
  readonly panelId: string;
}

function ChatTab({ account, jid, selected, id, panelId }: ChatTabProps) {
  const chats = account.chats;
  const person = peopleOf(account).personOf(jid);
  const name = person.name;
  const unread = chats.conversation(jid).value.unread;
  const presence = account.presence.presenceOf(jid).value;
  // Seed: "The badge disappears when that chat tab is active."
  const badge = selected ? 0 : unread;
  return (
    <div class="chat-tab-item" data-selected={selected}>
      <button
        type="button"
        role="tab"
        id={id}
        class="chat-tab"
        aria-selected={selected}
        aria-controls={selected ? panelId : undefined}
        aria-label={tabLabel(name, person.contact, person.looksLike, badge)}
        aria-keyshortcuts="Delete"
        tabIndex={selected ? 0 : -1}
        title={personLabel(person)}
        data-looks-like={person.looksLike?.jid}
        onClick={() => chats.openChat(jid)}
      >
        <span class="tab-status">
          <PresenceIcon availability={presence.availability} />
        </span>
        {person.looksLike && (
          <span class="tab-flag">
            <WarningIcon />
          </span>
        )}
        <span class="tab-name">{name}</span>
        {badge > 0 && <span class="tab-badge">{badge}</span>}
      </button>
      {
        // Seed: hovering the status offers the close button. Not a tab
        // stop (one per tablist, APG): Delete on the tab does the same.
      }
      <button
        type="button"
        class="tab-close"
        tabIndex={-1}
        aria-label={`Close chat with ${name}`}
        title={`Close chat with ${name}`}
        onClick={() => chats.closeChat(jid)}
      >
        <CloseIcon />
      </button>
    </div>
  );
}

/** The tab's name: who, whether they are a contact or imitate one, unread. */
function tabLabel(
  name: string,
  contact: boolean,
  looksLike: Parameters<typeof looksLikeText>[0] | undefined,
  unread: number,
): string {
  return [
    name,
    ...(looksLike ? [looksLikeText(looksLike)] : []),
    ...(contact ? [] : [NOT_IN_CONTACTS]),
    ...(unread > 0 ? [`${unread} unread`] : []),
  ].join(", ");
}
