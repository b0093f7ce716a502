// The tree's keyboard (WAI-ARIA APG Tree View pattern, multi-select), as a
// pure mapping from a key to what it does.
import type { ContactListModel, FocusMove } from "./contact_list_model.ts";

export type TreeCommand =
  | FocusMove
  /** Closes a group, or goes to a member's group. */
  | "left"
  /** Opens a group, or goes to its first member. */
  | "right"
  /** Enter: toggles a group. */
  | "activate"
  /** Space: toggles a group, or a contact's selection. */
  | "select"
  /** Delete: the selection, or the focused contact. */
  | "delete"
  /** The row's ••• menu. */
  | "menu";

export interface TreeKey {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

const COMMANDS: Readonly<Record<string, TreeCommand>> = {
  ArrowUp: "up",
  ArrowDown: "down",
  Home: "home",
  End: "end",
  ArrowLeft: "left",
  ArrowRight: "right",
  Enter: "activate",
  " ": "select",
  Delete: "delete",
  ContextMenu: "menu",
};

/** Ctrl and Cmd pass: Ctrl+Space toggles selection like Space (APG). */
export function treeCommand(event: TreeKey): TreeCommand | undefined {
  if (event.altKey) return undefined;
  // Shift+F10 is the Windows keyboard's context menu, like the Menu key.
  if (event.key === "F10") return event.shiftKey ? "menu" : undefined;
  return Object.hasOwn(COMMANDS, event.key) ? COMMANDS[event.key] : undefined;
}

/** The commands that only change the list's state; "menu" and "delete" open UI. */
export function applyTreeCommand(
  model: ContactListModel,
  command: Exclude<TreeCommand, "menu" | "delete">,
): void {
  const row = model.rows.peek()[model.focusIndex.peek()];
  switch (command) {
    case "left":
      return model.arrowLeft();
    case "right":
      return model.arrowRight();
    case "activate":
    case "select":
      if (row?.kind === "group") model.toggleGroup(row.group);
      else if (row?.kind === "contact" && command === "select") {
        model.toggleSelected({ jid: row.jid, group: row.group });
      }
      return;
    default:
      return model.moveFocus(command);
  }
}
