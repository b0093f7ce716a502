import { useLayoutEffect, useRef } from "preact/hooks";
import type { DialogRequest } from "../dialog_model.ts";
import { MenuPopup } from "../menu_popup.tsx";
import type { RowAction } from "./row_actions.ts";

export interface RowMenuProps {
  readonly label: string;
  readonly actions: readonly RowAction[];
  /** The ••• button the menu opens beside. */
  readonly button: HTMLElement;
  /** Gets focus back when the menu closes. */
  readonly row: HTMLElement;
  readonly onChoose: (request: DialogRequest) => void;
  readonly onClose: () => void;
}

/**
 * A row's ••• menu, placed beside its button in the list's frame (the
 * parent element) and flipped above it when there is no room below, so it
 * never spills out of the panel. Keyboard and dismissal come from MenuPopup
 * (WAI-ARIA APG menu button).
 */
export function RowMenu(
  { label, actions, button, row, onChoose, onClose }: RowMenuProps,
) {
  const ref = useRef<HTMLDivElement>(null);
  // Before paint, so the menu never shows at a wrong place for a frame.
  useLayoutEffect(() => {
    const holder = ref.current;
    const frame = holder?.parentElement;
    const menu = holder?.firstElementChild;
    if (!holder || !frame || !(menu instanceof HTMLElement)) return;
    const box = frame.getBoundingClientRect();
    const at = button.getBoundingClientRect();
    // A row kept mounted for focus may be scrolled out of view (Shift+F10
    // after a wheel scroll): the menu then sits at the nearest edge.
    const top = Math.min(
      Math.max(at.top - box.top, 0),
      Math.max(0, box.height - at.height),
    );
    holder.style.top = `${top}px`;
    holder.style.height = `${at.height}px`;
    holder.style.right = `${Math.max(0, box.right - at.right)}px`;
    const roomBelow = box.height - top - at.height;
    holder.classList.toggle(
      "row-menu-above",
      menu.offsetHeight > roomBelow && top > roomBelow,
    );
  }, [button]);

  function close(): void {
    onClose();
    // A click outside on nothing focusable leaves focus on the removed menu,
    // i.e. nowhere; give it back to the row. A click on a control keeps it.
    setTimeout(() => {
      const active = document.activeElement;
      if ((active === null || active === document.body) && row.isConnected) {
        row.focus();
      }
    });
  }

  return (
    <div class="row-menu" ref={ref}>
      <MenuPopup
        label={label}
        anchor={row}
        onClose={close}
        items={actions.map((action) => ({
          label: action.label,
          onSelect: () => onChoose(action.request),
        }))}
      />
    </div>
  );
}
