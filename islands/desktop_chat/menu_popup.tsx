import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

export type MenuEntry =
  | {
    readonly label: string;
    readonly onSelect: () => void;
    readonly icon?: ComponentChildren;
    /** Makes the item a menuitemradio. */
    readonly checked?: boolean;
    readonly separator?: undefined;
  }
  | { readonly separator: true };

export interface MenuPopupProps {
  readonly label: string;
  readonly items: readonly MenuEntry[];
  /** Gets focus back when the menu closes without choosing. */
  readonly anchor: HTMLElement | null;
  readonly onClose: () => void;
}

/**
 * WAI-ARIA APG menu button pattern: focus goes to the first item, arrows,
 * Home and End move, Enter and Space choose, Escape and Tab close, a click
 * outside closes.
 */
export function MenuPopup({ label, items, anchor, onClose }: MenuPopupProps) {
  const ref = useRef<HTMLDivElement>(null);

  // Before paint: a key pressed right after opening must land in the menu.
  useLayoutEffect(() => {
    const menu = ref.current;
    const checked = menu?.querySelector<HTMLElement>("[aria-checked=true]");
    (checked ?? menu?.querySelector<HTMLElement>("[role^=menuitem]"))?.focus();
    // Composed path: clicks inside our shadow root retarget to the host.
    const onPointer = (event: PointerEvent) => {
      const path = event.composedPath();
      if (menu && !path.includes(menu) && !(anchor && path.includes(anchor))) {
        onClose();
      }
    };
    document.addEventListener("pointerdown", onPointer, true);
    return () => document.removeEventListener("pointerdown", onPointer, true);
  }, []);

  function close(refocus: boolean) {
    onClose();
    if (refocus) anchor?.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    const entries = [
      ...ref.current?.querySelectorAll<HTMLElement>("[role^=menuitem]") ?? [],
    ];
    const at = entries.indexOf(event.target as HTMLElement);
    const move: Record<string, number> = {
      ArrowDown: (at + 1) % entries.length,
      ArrowUp: (at - 1 + entries.length) % entries.length,
      Home: 0,
      End: entries.length - 1,
    };
    if (event.key in move) {
      event.preventDefault();
      entries[move[event.key]]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    }
  }

  return (
    <div
      class="menu"
      role="menu"
      aria-label={label}
      ref={ref}
      onKeyDown={onKeyDown}
    >
      {items.map((item, index) =>
        item.separator
          ? <div key={index} role="separator" class="menu-separator" />
          : (
            <button
              key={item.label}
              type="button"
              tabIndex={-1}
              class="menu-item"
              role={item.checked === undefined ? "menuitem" : "menuitemradio"}
              aria-checked={item.checked}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.icon}
              <span>{item.label}</span>
            </button>
          )
      )}
    </div>
  );
}
