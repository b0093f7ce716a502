// The contact and group dialogs. A modal <dialog> sits in the top layer, so
// its size is set against the viewport, not the panel.
export const DIALOGS_CSS = `
.dialog {
  width: 22rem; max-width: calc(100vw - 2rem); max-height: calc(100vh - 2rem);
  padding: 0; border: 1px solid var(--dc-border); border-radius: 6px;
  background: var(--dc-bg); color: var(--dc-fg); box-shadow: var(--dc-shadow);
}
/* ::backdrop inherits the custom properties only in newer browsers. */
.dialog::backdrop { background: color-mix(in srgb, var(--dc-fg, #1f2933) 45%, transparent); }
.dialog-form { padding: 1rem 1rem 0.85rem; }
.dialog-title { margin: 0 0 0.85rem; font-size: 1.05rem; font-weight: 600; }
.dialog-summary { margin: 0 0 0.6rem; overflow-wrap: anywhere; }
.dialog-subject {
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 3; overflow: hidden;
  margin: 0 0 0.6rem; padding: 0.4rem 0.6rem; border-left: 3px solid var(--dc-control-edge);
  background: var(--dc-bg-alt); font-weight: 600; overflow-wrap: anywhere;
}
.dialog-hint { margin: 0 0 0.75rem; color: var(--dc-muted); font-size: 0.92em; }
.dialog-label { font-weight: 600; }
.dialog-value { overflow-wrap: anywhere; color: var(--dc-muted); }
.dialog-jid { margin: -0.5rem 0 0.75rem; }
.dialog-names {
  margin: 0 0 0.6rem; padding-left: 1.2rem; max-height: 9rem; overflow-y: auto;
  overflow-wrap: anywhere;
}
.dialog-groups {
  margin: 0 0 0.75rem; padding: 0.4rem 0.6rem; border: 1px solid var(--dc-line);
  border-radius: var(--dc-radius); max-height: 10rem; overflow-y: auto;
}
.dialog-groups legend { padding: 0 0.25rem; font-weight: 600; }
.dialog-groups .dialog-hint { margin: 0.35rem 0 0; }
.dialog-check {
  display: flex; align-items: center; gap: 0.45rem; min-height: 26px;
  overflow-wrap: anywhere; cursor: pointer;
}
.dialog-actions { display: flex; justify-content: flex-end; gap: 0.5rem; }
.dialog-actions .button[aria-disabled=true] { opacity: 0.6; cursor: progress; }
.dialog .field-error { margin: 0; }
`;
