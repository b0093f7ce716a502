import type { Account } from "../../../shared/xmpp/session/account.ts";
import { personLabel } from "../../../shared/xmpp/identity/person.ts";
import { isOpenKey, useOpenChat } from "../chat/open_chat_context.ts";
import { IdentityNotes } from "../identity/identity_notes.tsx";
import { peopleOf } from "../identity/people.ts";
import type { RecentRowData } from "./contact_rows.ts";
import { MoreButton } from "./more_button.tsx";
import { actionsLabel } from "./row_actions.ts";
import { rowPosition, type TreeRowProps } from "./tree_row.ts";

export interface RecentRowProps extends TreeRowProps {
  readonly account: Account;
  readonly row: RecentRowData;
}

/**
 * Someone who chatted with the agent and is no contact (seed: Recent Chats).
 * Not selectable, so no aria-selected: Move and Delete are for contacts.
 * Shown by their address, then "Not in your contacts", the imitation flag
 * and any nickname they gave as their claim (issue 14).
 */
export function RecentRow(
  { account, row, index, model, tabbable, menuOpen, onMenu }: RecentRowProps,
) {
  const openChat = useOpenChat();
  const person = peopleOf(account).personOf(row.jid, row.nick);
  const label = personLabel(person);
  return (
    <div
      role="treeitem"
      aria-level={2}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-label={label}
      data-jid={row.jid}
      data-recent-chats=""
      data-index={index}
      tabIndex={tabbable ? 0 : -1}
      class="tree-row recent-row"
      style={rowPosition(index)}
      title={label}
      data-looks-like={person.looksLike?.jid}
      onClick={() => {
        model.focusRow(index);
        openChat?.(row.jid);
      }}
      onKeyDown={(event) => {
        if (isOpenKey(event)) openChat?.(row.jid);
      }}
    >
      <svg
        class="recent-icon"
        viewBox="0 0 16 16"
        width="12"
        height="12"
        aria-hidden="true"
        focusable="false"
      >
        <path d="M2 3.5A1.5 1.5 0 0 1 3.5 2h9A1.5 1.5 0 0 1 14 3.5v6a1.5 1.5 0 0 1-1.5 1.5H7l-3 3v-3h-.5A1.5 1.5 0 0 1 2 9.5z" />
      </svg>
      <span class="row-name">{person.name}</span>
      <span class="row-detail">
        <IdentityNotes person={person} compact />
      </span>
      <MoreButton
        label={actionsLabel(row)}
        expanded={menuOpen}
        onOpen={(button) => onMenu(index, button)}
      />
    </div>
  );
}
