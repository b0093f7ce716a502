import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { type MenuEntry, MenuPopup } from "../menu_popup.tsx";
import { looksLikeText } from "../../../shared/xmpp/identity/person.ts";
import { peopleOf } from "../identity/people.ts";

export interface MoreChatsProps {
  readonly account: Account;
  /** Open chats without a tab, in the order they were opened. */
  readonly hidden: readonly string[];
}

/** Seed: "To view more than three active chats, click the icon." */
export function MoreChats({ account, hidden }: MoreChatsProps) {
  const chats = account.chats;
  const open = useSignal(false);
  const button = useRef<HTMLButtonElement>(null);
  const unread =
    hidden.filter((jid) => chats.conversation(jid).value.unread > 0).length;
  const items: MenuEntry[] = hidden.map((jid) => {
    const count = chats.conversation(jid).value.unread;
    const person = peopleOf(account).personNow(jid);
    const flag = person.looksLike
      ? ` ⚠ ${looksLikeText(person.looksLike)}`
      : "";
    const name = `${person.name}${flag}`;
    return {
      label: count > 0 ? `${name} (${count} unread)` : name,
      onSelect: () => chats.openChat(jid),
    };
  });
  return (
    <div class="more-chats">
      <button
        ref={button}
        type="button"
        class="more-chats-button"
        aria-label="More chats"
        title={`${hidden.length} more`}
        aria-haspopup="menu"
        aria-expanded={open.value}
        onClick={() => (open.value = !open.value)}
      >
        <span aria-hidden="true">+{hidden.length}</span>
        {unread > 0 && <span class="more-chats-dot" aria-hidden="true" />}
      </button>
      {open.value && (
        <MenuPopup
          label="More chats"
          items={items}
          anchor={button.current}
          onClose={() => (open.value = false)}
        />
      )}
    </div>
  );
}
