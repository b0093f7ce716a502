import type { ComposedPresence } from "../../../shared/xmpp/presence/presence_compose.ts";
import type { PresenceModel } from "../../../shared/xmpp/presence/presence_store.ts";
import { isOpenKey, useOpenChat } from "../chat/open_chat_context.ts";
import { AVAILABILITY_LABEL, PresenceIcon } from "../presence_icon.tsx";
import type { ContactRowData } from "./contact_rows.ts";
import { MoreButton } from "./more_button.tsx";
import { actionsLabel } from "./row_actions.ts";
import { rowPosition, type TreeRowProps } from "./tree_row.ts";

export interface ContactRowProps extends TreeRowProps {
  readonly row: ContactRowData;
  readonly presence: PresenceModel;
}

function presenceText(presence: ComposedPresence, pending: boolean): string {
  // RFC 6121 §3.1.2: until the contact approves we get no presence from
  // them, so "Offline" would be a guess.
  if (pending) return "Request sent";
  const label = AVAILABILITY_LABEL[presence.availability];
  return presence.status ? `${label} · ${presence.status}` : label;
}

export function ContactRow(
  { row, index, model, presence, tabbable, menuOpen, onMenu }: ContactRowProps,
) {
  // Read here, in the row: a presence stanza re-renders this row only.
  const composed = presence.presenceOf(row.jid).value;
  const detail = presenceText(composed, row.pending);
  const entry = { jid: row.jid, group: row.group };
  const who = row.name === row.jid ? row.jid : `${row.name} (${row.jid})`;
  const openChat = useOpenChat();
  return (
    <div
      role="treeitem"
      aria-level={2}
      aria-selected={model.isSelected(entry)}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      aria-label={`${row.name}, ${detail}`}
      data-jid={row.jid}
      data-group={row.group}
      data-index={index}
      tabIndex={tabbable ? 0 : -1}
      class="tree-row contact-row"
      style={rowPosition(index)}
      title={`${who}\n${detail}`}
      onClick={(event) => {
        model.focusRow(index);
        if (event.ctrlKey || event.metaKey) model.toggleSelected(entry);
        else {
          // Issue 13: a click on a contact starts (or shows) the chat. It
          // is not a selection: Move/Delete wait for a Ctrl/Cmd-click (or
          // Space), so starting a chat never raises the selection bar.
          model.clearSelection();
          openChat?.(row.jid);
        }
      }}
      onKeyDown={(event) => {
        if (isOpenKey(event)) openChat?.(row.jid);
      }}
    >
      <PresenceIcon
        availability={row.pending ? "offline" : composed.availability}
      />
      <span class="row-name">{row.name}</span>
      {row.pending || !composed.status
        ? (
          <span class={row.pending ? "row-detail row-pending" : "row-detail"}>
            {detail}
          </span>
        )
        : (
          // The status apart from the state: it takes its own direction
          // and ellipsis, so a right-to-left status keeps its beginning.
          <span class="row-detail row-detail-split">
            <span class="row-state">
              {AVAILABILITY_LABEL[composed.availability]} ·
            </span>{" "}
            <span class="row-status">{composed.status}</span>
          </span>
        )}
      <MoreButton
        label={actionsLabel(row)}
        expanded={menuOpen}
        onOpen={(button) => onMenu(index, button)}
      />
    </div>
  );
}
