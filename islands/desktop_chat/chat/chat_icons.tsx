// The chat window's glyphs: 16px strokes in currentColor, decorative (the
// buttons carry the names).

function Glyph({ d }: { readonly d: string }) {
  return (
    <svg
      class="chat-glyph"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}

export const CloseIcon = () => <Glyph d="M4 4l8 8M12 4l-8 8" />;
export const MinimiseIcon = () => <Glyph d="M3.5 12h9" />;
export const RestoreIcon = () => <Glyph d="M4 10l4-4 4 4" />;
/** Two arrows out of the corners: a bigger frame. */
export const GrowIcon = () => (
  <Glyph d="M9.5 2.5h4v4M13.5 2.5l-4.5 4.5M6.5 13.5h-4v-4M2.5 13.5l4.5-4.5" />
);
/** Two arrows into the corners: back to the normal frame. */
export const ShrinkIcon = () => (
  <Glyph d="M13.5 6.5h-4v-4M9.5 6.5l4-4M2.5 9.5h4v4M6.5 9.5l-4 4" />
);
export const MoreIcon = () => <Glyph d="M4 6l4 4 4-4" />;
