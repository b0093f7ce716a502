import type { PresenceModel } from "../../../shared/xmpp/presence/presence_store.ts";
import { type GroupRowData, RECENT_GROUP } from "./contact_rows.ts";
import { MoreButton } from "./more_button.tsx";
import { actionsLabel } from "./row_actions.ts";
import { rowPosition, type TreeRowProps } from "./tree_row.ts";

export interface GroupRowProps extends TreeRowProps {
  readonly row: GroupRowData;
  readonly presence: PresenceModel;
}

/** How many of `jids` have an available resource (any show). */
function onlineCount(presence: PresenceModel, jids: readonly string[]) {
  // Read in render: a presence stanza re-renders this header only.
  return jids.filter((jid) =>
    presence.presenceOf(jid).value.availability !== "offline"
  ).length;
}

/**
 * A group header. The tree is flat for virtualization, so level, set size
 * and position are stated on each row (WAI-ARIA 1.2 aria-level/aria-setsize).
 * A roster group counts who is online of its members shown ("2/5").
 */
export function GroupRow(
  { row, index, model, presence, tabbable, menuOpen, onMenu }: GroupRowProps,
) {
  const recent = row.group === RECENT_GROUP;
  const online = row.members === undefined
    ? undefined
    : onlineCount(presence, row.members);
  const countLabel = online === undefined
    ? `${row.count}`
    : `${online} of ${row.count} online`;
  return (
    <div
      role="treeitem"
      aria-level={1}
      aria-expanded={row.expanded}
      aria-setsize={row.setsize}
      aria-posinset={row.posinset}
      // Without it the name would take in the ••• button's label.
      aria-label={`${row.name}, ${countLabel}`}
      data-group={recent ? undefined : row.group}
      data-recent-chats={recent ? "" : undefined}
      data-index={index}
      tabIndex={tabbable ? 0 : -1}
      class="tree-row group-row"
      style={rowPosition(index)}
      title={`${row.name} (${countLabel})`}
      onClick={() => {
        model.focusRow(index);
        model.toggleGroup(row.group);
      }}
    >
      <svg
        class="group-chevron"
        viewBox="0 0 12 12"
        width="12"
        height="12"
        aria-hidden="true"
        focusable="false"
      >
        <path d="M3 4.5l3 3 3-3" />
      </svg>
      <span class="row-name">{row.name}</span>
      <span class="group-count">
        {online === undefined ? row.count : `${online}/${row.count}`}
      </span>
      {!recent && (
        <MoreButton
          label={actionsLabel(row)}
          expanded={menuOpen}
          onOpen={(button) => onMenu(index, button)}
        />
      )}
    </div>
  );
}
