export interface MoreButtonProps {
  readonly label: string;
  readonly expanded: boolean;
  readonly onOpen: (button: HTMLElement) => void;
}

/**
 * The seed's ••• icon. Out of the tab order (tabindex -1): a treeitem is one
 * tab stop, and the keyboard reaches the same menu with Shift+F10.
 */
export function MoreButton({ label, expanded, onOpen }: MoreButtonProps) {
  return (
    <button
      type="button"
      class="icon-button row-more"
      tabIndex={-1}
      aria-label={label}
      aria-haspopup="menu"
      aria-expanded={expanded}
      // Focusing it would scroll a half-visible row into view, and the
      // tree closes its menu on scroll; the menu takes focus anyway.
      onMouseDown={(event) => event.preventDefault()}
      onClick={(event) => {
        // The row's own click would select the contact or fold the group.
        event.stopPropagation();
        onOpen(event.currentTarget);
      }}
    >
      <svg
        viewBox="0 0 16 16"
        width="16"
        height="16"
        aria-hidden="true"
        focusable="false"
      >
        <circle cx="3" cy="8" r="1.5" />
        <circle cx="8" cy="8" r="1.5" />
        <circle cx="13" cy="8" r="1.5" />
      </svg>
    </button>
  );
}
