// The Search field and its drop-down of directory results. The drop-down
// overlays the contact list under the field, as wide as the panel.
export const SEARCH_CSS = `
.search { position: relative; flex: none; padding: 0.5rem 0.75rem; }
.search-field {
  width: 100%; min-height: 30px; padding: 0.25rem 0.6rem;
  border: 1px solid var(--dc-border); border-radius: var(--dc-radius);
  background: var(--dc-bg-alt);
}
.search-field:focus { background: var(--dc-bg); }
.search-popup {
  position: absolute; z-index: 20; top: 100%; left: 0; right: 0;
  max-height: 16rem; overflow-y: auto;
  border-top: 1px solid var(--dc-line); border-bottom: 1px solid var(--dc-border);
  background: var(--dc-bg); box-shadow: var(--dc-shadow);
}
.search-message { margin: 0; padding: 0.5rem 0.75rem; color: var(--dc-muted); }
.search-message:empty { display: none; }
.search-list { margin: 0; padding: 0; list-style: none; }
.search-option {
  display: flex; align-items: center; gap: 0.5rem; min-height: var(--dc-row);
  padding: 0.3rem 0.5rem 0.3rem 0.75rem; cursor: default;
}
.search-option:hover { background: var(--dc-hover); }
.search-option[aria-selected=true] { background: var(--dc-selected); }
.search-option-text { display: flex; flex-direction: column; flex: 1; min-width: 0; }
.search-name, .search-jid { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.search-jid, .search-note { color: var(--dc-muted); font-size: 0.92em; }
.search-note { font-style: italic; }
/* Seed: the add icon shows on the row under the pointer (or the active one). */
.search-add { flex: none; opacity: 0; }
.search-option:hover .search-add, .search-option[aria-selected=true] .search-add,
.search-add:focus-visible { opacity: 1; }
@media (hover: none) { .search-add { opacity: 1; } }
`;
