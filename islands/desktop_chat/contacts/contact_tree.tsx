import { useSignal, useSignalEffect } from "@preact/signals";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import type { DialogModel } from "../dialog_model.ts";
import type { ContactListModel } from "./contact_list_model.ts";
import type { ContactListRow } from "./contact_rows.ts";
import { ContactRow } from "./contact_row.tsx";
import { GroupRow } from "./group_row.tsx";
import { RecentRow } from "./recent_row.tsx";
import { actionsLabel, type RowAction, rowActions } from "./row_actions.ts";
import { RowMenu } from "./row_menu.tsx";
import { applyTreeCommand, treeCommand } from "./tree_keys.ts";
import { useTreeFocus } from "./use_tree_focus.ts";
import { ROW_HEIGHT, useVirtualWindow, windowRows } from "./virtual_window.ts";

export interface ContactTreeProps {
  readonly account: Account;
  readonly dialogs: DialogModel;
  readonly model: ContactListModel;
}

interface OpenMenu {
  readonly key: string;
  readonly label: string;
  readonly actions: readonly RowAction[];
  readonly button: HTMLElement;
  readonly row: HTMLElement;
}

/** The virtual tree: only rows in view are in the DOM (see virtual_window.ts). */
export function ContactTree({ account, dialogs, model }: ContactTreeProps) {
  const tree = useRef<HTMLDivElement>(null);
  const view = useVirtualWindow(tree);
  const focus = useTreeFocus(tree, model, dialogs);
  const menu = useSignal<OpenMenu | undefined>(undefined);
  const rows = model.rows.value;
  const focusIndex = model.focusIndex.value;
  const open = menu.value;
  // A new search starts at its first match.
  useSignalEffect(() => {
    model.filter.value;
    view.scrollToTop();
  });
  useLayoutEffect(focus.settle);

  function openMenu(index: number, button: HTMLElement): void {
    const row = model.rows.peek()[index];
    const element = button.closest<HTMLElement>("[role=treeitem]");
    if (!row || !element) return;
    model.focusRow(index);
    menu.value = menu.peek()?.key === row.key ? undefined : {
      key: row.key,
      label: actionsLabel(row),
      actions: rowActions(row),
      button,
      row: element,
    };
  }

  function onKeyDown(event: KeyboardEvent): void {
    const command = treeCommand(event);
    const target = event.target;
    if (!command || !(target instanceof HTMLElement)) return;
    if (target.getAttribute("role") !== "treeitem") return;
    event.preventDefault();
    if (command === "menu") {
      const button = target.querySelector<HTMLElement>(".row-more");
      if (button) openMenu(model.focusIndex.peek(), button);
    } else if (command === "delete") {
      const row = model.rows.peek()[model.focusIndex.peek()];
      const picked = model.selection.peek();
      const entries = picked.length > 0 || row?.kind !== "contact"
        ? picked
        : [{ jid: row.jid, group: row.group }];
      if (entries.length > 0) {
        dialogs.open({ kind: "delete-contacts", entries }, target);
      }
    } else {
      const before = model.focusIndex.peek();
      applyTreeCommand(model, command);
      const after = model.focusIndex.peek();
      view.reveal(after);
      if (after !== before) focus.follow();
    }
  }

  function renderRow(row: ContactListRow, index: number) {
    const common = {
      key: row.key,
      index,
      model,
      tabbable: index === focusIndex,
      menuOpen: open?.key === row.key,
      onMenu: openMenu,
    };
    if (row.kind === "group") {
      return <GroupRow {...common} row={row} presence={account.presence} />;
    }
    if (row.kind === "recent") {
      return <RecentRow {...common} row={row} account={account} />;
    }
    return <ContactRow {...common} row={row} presence={account.presence} />;
  }

  return (
    <>
      <div
        ref={tree}
        role="tree"
        aria-label="Contacts"
        aria-multiselectable="true"
        class="contact-tree"
        onKeyDown={onKeyDown}
        onFocusIn={focus.onFocusIn}
        onScroll={() => {
          view.onScroll();
          // Its button scrolled away from under it.
          menu.value = undefined;
        }}
        onPointerDown={(event) => {
          const target = event.target;
          const own = target instanceof Element &&
            open?.button.contains(target);
          if (open && !own) menu.value = undefined;
        }}
      >
        <div
          class="contact-tree-space"
          style={{ height: `${rows.length * ROW_HEIGHT}px` }}
        >
          {windowRows(
            rows.length,
            view.first.value,
            view.visible.value,
            focusIndex,
          ).map((index) => renderRow(rows[index], index))}
        </div>
      </div>
      {open && (
        <RowMenu
          key={open.key}
          label={open.label}
          actions={open.actions}
          button={open.button}
          row={open.row}
          onClose={() => (menu.value = undefined)}
          onChoose={(request) => {
            menu.value = undefined;
            dialogs.open(request, open.row);
          }}
        />
      )}
    </>
  );
}
