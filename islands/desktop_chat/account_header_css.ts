// The signed-in header: the agent's name, the state button and the status
// message field with its feedback line. Controls carry a border of at least
// 3:1 against the header (WCAG 1.4.11), and the field's box lines up with
// the name above it.
export const ACCOUNT_HEADER_CSS = `
.account-header {
  display: flex; flex-direction: column; gap: 0.4rem;
  padding: 0.6rem 0.75rem; border-bottom: 1px solid var(--dc-line); background: var(--dc-bg-alt);
}
.account-row { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; }
.account-name {
  min-width: 0; font-weight: 600; font-size: 1.05em;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.state-menu { position: relative; flex: none; }
.state-button {
  display: inline-flex; align-items: center; gap: 0.35rem; min-height: 28px; padding: 0 0.5rem;
  border: 1px solid var(--dc-control-edge); border-radius: var(--dc-radius);
  background: var(--dc-bg); cursor: pointer;
}
.state-button:hover { background: var(--dc-hover); }
.chevron { color: var(--dc-muted); font-size: 0.8em; }
.status-field { position: relative; display: flex; flex-direction: column; gap: 0.2rem; }
.status-message {
  width: 100%; min-height: 28px; margin: 0; padding: 0.2rem 0.5rem;
  border: 1px solid var(--dc-control-edge); border-radius: var(--dc-radius);
  background: var(--dc-bg); color: var(--dc-fg);
}
.status-message::placeholder { color: var(--dc-muted); opacity: 1; }
.status-message:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: 0; border-color: var(--dc-focus); }
/* Over the field's right end, so confirming moves nothing around. */
.status-feedback {
  position: absolute; top: 1px; right: 1px; height: 26px; display: flex; align-items: center;
  margin: 0; padding: 0 0.5rem; border-radius: var(--dc-radius); pointer-events: none;
  background: var(--dc-bg); color: var(--dc-success); font-size: 0.92em; font-weight: 600;
}
.status-feedback:empty { display: none; }
.status-field[data-saved=true] .status-message { padding-right: 8.5rem; }
.state-error { margin: 0; color: var(--dc-danger); font-size: 0.92em; overflow-wrap: anywhere; }
`;
