// The contact list: a header bar, a virtual tree of 32px rows, row menus.
// Colours only from the theme's --dc-* properties (theme_css.ts); the menu's
// own look is MenuPopup's .menu (panel_css.ts).
export const CONTACTS_CSS = `
.contact-list { position: relative; display: flex; flex-direction: column; flex: 1; min-height: 0; }
.contacts-header {
  display: flex; align-items: center; gap: 0.4rem; flex: none;
  min-height: 36px; padding: 0 0.4rem 0 0.75rem; border-bottom: 1px solid var(--dc-line);
}
.contacts-title {
  margin: 0; font-size: 0.78rem; font-weight: 600; letter-spacing: 0.04em;
  text-transform: uppercase; color: var(--dc-muted);
}
.contacts-count {
  min-width: 1.4rem; padding: 0 0.35rem; border-radius: 999px; background: var(--dc-bg-alt);
  color: var(--dc-muted); font-size: 0.75rem; line-height: 1.25rem; text-align: center;
}
.contacts-selected { margin-right: auto; font-weight: 600; }
.contacts-action { min-height: 24px; padding: 0 0.6rem; font-size: 0.92em; }
.contacts-header .icon-button svg { stroke: currentColor; stroke-width: 1.6; stroke-linecap: round; }
.contacts-loading, .contacts-note { flex: none; margin: 0; padding: 0.75rem; color: var(--dc-muted); }
.contacts-note:empty { padding: 0; }
.contacts-alert { flex: none; margin: 0.5rem 0.75rem; }
.contact-tree { flex: 1; min-height: 0; overflow-y: auto; overscroll-behavior: contain; }
.contact-tree-space { position: relative; }
.tree-row {
  position: absolute; left: 0; right: 0; height: var(--dc-row);
  display: flex; align-items: center; gap: 0.45rem; padding: 0 0.3rem 0 0.6rem;
  cursor: default; user-select: none; white-space: nowrap;
}
.tree-row:hover { background: var(--dc-hover); }
.tree-row[aria-selected=true] { background: var(--dc-selected); }
.tree-row:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: -2px; }
.group-row { font-weight: 600; cursor: pointer; }
.group-chevron {
  flex: none; fill: none; stroke: var(--dc-muted); stroke-width: 1.6;
  stroke-linecap: round; stroke-linejoin: round; transition: transform 120ms ease;
}
.group-row[aria-expanded=false] .group-chevron { transform: rotate(-90deg); }
.group-count { flex: none; color: var(--dc-muted); font-weight: 400; font-size: 0.92em; }
.contact-row, .recent-row { padding-left: 1.6rem; }
.recent-icon { flex: none; fill: var(--dc-muted); }
.row-name { flex: 0 1 auto; min-width: 0; max-width: 65%; overflow: hidden; text-overflow: ellipsis; }
.group-row .row-name { max-width: none; }
/* A name takes the direction of its own first strong letter (CSS Writing
   Modes §2.2, like dir=auto), so an Arabic or Hebrew name too long for the
   row keeps its beginning and loses its end to the ellipsis; it stays
   aligned with the others. */
.row-name { unicode-bidi: plaintext; text-align: match-parent; }
.row-detail {
  flex: 1 1 0; min-width: 0; overflow: hidden; text-overflow: ellipsis;
  color: var(--dc-muted); font-size: 0.92em;
}
.row-pending { font-style: italic; }
/* State and status side by side: the status gets what the state leaves
   and, like a name, keeps the direction of its own first strong letter. */
.row-detail-split {
  display: grid; grid-template-columns: minmax(0, max-content) minmax(0, 1fr);
  column-gap: 0.3em;
}
.row-state, .row-status {
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.row-status { unicode-bidi: plaintext; text-align: match-parent; }
.row-more { flex: none; width: 24px; height: 24px; margin-left: auto; opacity: 0; }
.row-more svg { fill: currentColor; }
.tree-row:hover .row-more, .tree-row:focus-within .row-more, .row-more[aria-expanded=true] { opacity: 1; }
@media (hover: none) { .row-more { opacity: 1; } }
.row-menu { position: absolute; z-index: 20; width: 0; }
.row-menu-above .menu { top: auto; bottom: calc(100% + 4px); }
`;
