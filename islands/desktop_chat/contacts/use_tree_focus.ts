// Keeps DOM focus and the model's focused row together in a virtual list,
// where the row to focus may only exist after the next render.
import { useSignalEffect } from "@preact/signals";
import type { RefObject } from "preact";
import { useRef } from "preact/hooks";
import type { DialogModel } from "../dialog_model.ts";
import type { ContactListModel } from "./contact_list_model.ts";

export interface TreeFocus {
  /** DOM focus goes to the model's focused row after the next render. */
  follow(): void;
  /** Run as a layout effect of the tree. */
  settle(): void;
  /** Focus that arrived by mouse, Tab or a dialog closing moves the model too. */
  onFocusIn(event: FocusEvent): void;
}

function focusLost(): boolean {
  const active = document.activeElement;
  return active === null || active === document.body;
}

export function useTreeFocus(
  tree: RefObject<HTMLElement | null>,
  model: ContactListModel,
  dialogs: DialogModel,
): TreeFocus {
  const pending = useRef(false);
  const dialogOpen = useRef(false);

  function focusedRow(): HTMLElement | null | undefined {
    return tree.current?.querySelector<HTMLElement>(
      `[data-index="${model.focusIndex.peek()}"]`,
    );
  }

  // A dialog returns focus to the row it was opened from; after a move or
  // delete that row is gone, and focus would drop to the page. WAI-ARIA APG
  // (dialog): then focus goes to a logical place, the tree's current row.
  useSignalEffect(() => {
    const open = dialogs.current.value !== undefined;
    if (dialogOpen.current && !open) {
      // After the dialog model's own microtask has tried the opener.
      setTimeout(() => {
        if (focusLost()) focusedRow()?.focus();
      });
    }
    dialogOpen.current = open;
  });

  return {
    follow() {
      pending.current = true;
    },
    settle() {
      if (!pending.current) return;
      pending.current = false;
      // Only while the tree has focus: a re-render from a filter keystroke
      // must not pull focus out of the search box.
      if (tree.current?.matches(":focus-within")) {
        focusedRow()?.focus({ preventScroll: true });
      }
    },
    onFocusIn(event) {
      const target = event.target;
      if (!(target instanceof HTMLElement)) return;
      if (target.getAttribute("role") !== "treeitem") return;
      const index = Number(target.dataset.index);
      if (index !== model.focusIndex.peek()) model.focusRow(index);
    },
  };
}
