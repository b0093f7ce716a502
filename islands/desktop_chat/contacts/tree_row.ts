// What every row of the tree is given by the list that places it.
import type { ContactListModel } from "./contact_list_model.ts";
import { ROW_HEIGHT } from "./virtual_window.ts";

export interface TreeRowProps {
  /** Position in the model's rows, also the row's `data-index`. */
  readonly index: number;
  readonly model: ContactListModel;
  /** The one row in the tab order (roving tabindex). */
  readonly tabbable: boolean;
  readonly menuOpen: boolean;
  readonly onMenu: (index: number, button: HTMLElement) => void;
}

/** Rows sit at fixed offsets in a spacer as tall as the whole list. */
export function rowPosition(index: number): { top: string } {
  return { top: `${index * ROW_HEIGHT}px` };
}
