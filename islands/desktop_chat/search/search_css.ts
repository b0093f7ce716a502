// The Search field, and the search section under the filtered contact list:
// the one empty state, then the Directory's people. While searching, the
// contact list takes only the height of its matches, so the Directory
// follows right under them as one list. The search section's height is
// set aside from the first keystroke (40% of the panel, scrolling within),
// so the directory's answer a pause later fills it without moving or
// resizing the contact list (no layout shift under the agent's pointer).
export const SEARCH_CSS = `
.search { flex: none; padding: 0.5rem 0.75rem; }
.search-field {
  width: 100%; min-height: 30px; padding: 0.25rem 0.6rem;
  border: 1px solid var(--dc-control-edge); border-radius: var(--dc-radius);
  background: var(--dc-bg);
}
.search-field::placeholder { color: var(--dc-muted); opacity: 1; }
.signed-in[data-searching=true] .contact-list { flex: 0 1 auto; }
.signed-in[data-searching=true] .contact-tree { flex: 0 1 auto; }
.search-section { display: flex; flex-direction: column; flex: 0 0 40%; min-height: 0; }
.search-empty { flex: none; margin: 0; padding: 0.75rem; color: var(--dc-muted); overflow-wrap: anywhere; }
.directory { display: flex; flex-direction: column; min-height: 0; border-top: 1px solid var(--dc-line); }
.directory-header {
  flex: none; display: flex; flex-direction: column; justify-content: center;
  min-height: 36px; padding: 0.35rem 0.75rem; border-bottom: 1px solid var(--dc-line);
}
.directory-title {
  margin: 0; font-size: 0.78rem; font-weight: 600; letter-spacing: 0.04em;
  text-transform: uppercase; color: var(--dc-muted);
}
.directory-note { margin: 0.2rem 0 0; color: var(--dc-muted); overflow-wrap: anywhere; }
.search-list {
  flex: 0 1 auto; min-height: 0; margin: 0; padding: 0; list-style: none;
  overflow-y: auto; overscroll-behavior: contain;
}
.search-option {
  display: flex; align-items: center; gap: 0.5rem; min-height: 40px;
  padding: 0.25rem 0.3rem 0.25rem 0.75rem; cursor: pointer;
}
.search-option:hover { background: var(--dc-hover); }
.search-option[aria-selected=true] { background: var(--dc-selected); box-shadow: inset 3px 0 0 var(--dc-focus); }
.search-option-text { display: flex; flex-direction: column; flex: 1; min-width: 0; }
.search-name, .search-jid { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.search-jid { color: var(--dc-muted); font-size: 0.92em; }
.search-note {
  flex: none; padding: 0 0.4rem; border-radius: 999px; background: var(--dc-bg-alt);
  color: var(--dc-muted); font-size: 0.85em; line-height: 1.4rem;
}
/* Seed: the add icon shows on the row under the pointer (or the active one). */
.search-add { flex: none; opacity: 0; }
.search-option:hover .search-add, .search-option[aria-selected=true] .search-add,
.search-add:focus-visible { opacity: 1; }
@media (hover: none) { .search-add { opacity: 1; } }
`;
