// Styles of <desktop-chat-settings>, scoped by its shadow root: the Finesse
// desktop's stylesheets neither reach in nor get overridden.
export const SETTINGS_CSS = `
:host {
  display: block;
  color: #1f2933;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --accent: #0b6fb8;
  --accent-dark: #085a96;
  --line: #e4e7eb;
  --muted: #5f6b7a;
  --danger: #b42318;
  --success: #1e7b34;
  --label-width: 11.5rem;
}
* { box-sizing: border-box; }
.panel {
  max-width: 46rem;
  background: #fff;
  border: 1px solid #d3d9e0;
  border-radius: 6px;
  box-shadow: 0 1px 2px rgb(16 24 40 / 6%);
}
.panel-header {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  justify-content: space-between;
  gap: 0.5rem 1rem;
  padding: 0.75rem 1.25rem;
  border-bottom: 1px solid var(--line);
}
h1 { margin: 0; font-size: 1.0625rem; font-weight: 600; }
h1:focus { outline: none; }
.account { display: flex; align-items: center; gap: 0.75rem; color: var(--muted); font-size: 0.8125rem; }
.panel-body { padding: 1rem 1.25rem 1.25rem; }
.intro { margin: 0 0 1.25rem; color: var(--muted); }
.loading { margin: 0; color: var(--muted); }
fieldset { margin: 0 0 0.75rem; padding: 0; border: 0; min-width: 0; }
legend {
  width: 100%;
  margin-bottom: 0.875rem;
  padding: 0 0 0.375rem;
  border-bottom: 1px solid var(--line);
  color: var(--muted);
  font-size: 0.75rem;
  font-weight: 600;
  letter-spacing: 0.05em;
  text-transform: uppercase;
}
.field {
  display: grid;
  grid-template-columns: var(--label-width) minmax(0, 1fr);
  column-gap: 1rem;
  align-items: start;
  margin-bottom: 1rem;
}
.field-label { padding-top: 0.4375rem; font-weight: 600; }
.control { display: flex; flex-direction: column; gap: 0.3125rem; min-width: 0; }
.hint, .error { margin: 0; font-size: 0.8125rem; }
.hint { color: var(--muted); }
.error { color: var(--danger); font-weight: 500; }
input[type="text"], input[type="password"], select {
  width: 100%;
  min-height: 2.125rem;
  padding: 0.375rem 0.625rem;
  border: 1px solid #9aa5b1;
  border-radius: 4px;
  background: #fff;
  color: inherit;
  font: inherit;
}
input[type="checkbox"] { width: 1rem; height: 1rem; margin: 0; accent-color: var(--accent); }
input:hover, select:hover { border-color: #7b8794; }
input[aria-invalid="true"] { border-color: var(--danger); background: #fffafa; }
input:focus-visible, select:focus-visible, button:focus-visible {
  outline: 2px solid var(--accent);
  outline-offset: 1px;
}
.checkbox { display: flex; align-items: center; gap: 0.5rem; min-height: 2.125rem; }
.size { display: flex; gap: 0.5rem; }
.size input { width: 8rem; }
.size select { width: auto; }
.actions {
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: 0.75rem;
  margin-top: 0.25rem;
  padding: 1rem 0 0 calc(var(--label-width) + 1rem);
  border-top: 1px solid var(--line);
}
button {
  min-height: 2.125rem;
  padding: 0.375rem 1.125rem;
  border: 1px solid #9aa5b1;
  border-radius: 4px;
  background: #fff;
  color: inherit;
  font: inherit;
  font-weight: 600;
  cursor: pointer;
}
button:hover { background: #f3f5f7; }
button.primary { border-color: var(--accent); background: var(--accent); color: #fff; }
button.primary:hover { border-color: var(--accent-dark); background: var(--accent-dark); }
button[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
button.link {
  min-height: 0;
  padding: 0;
  border: 0;
  background: none;
  color: var(--accent);
  font-weight: 500;
  text-decoration: underline;
}
.status { margin: 0; font-weight: 500; }
.status[data-tone="success"] { color: var(--success); }
.status[data-tone="success"]::before { content: "\\2713\\00a0"; }
.status[data-tone="error"] { color: var(--danger); }
.status[data-tone="info"] { color: var(--muted); }
.unsaved { margin: 0; color: var(--muted); font-size: 0.8125rem; font-style: italic; }
.sign-in { max-width: 22rem; }
.sign-in .field { display: flex; flex-direction: column; gap: 0.3125rem; }
.sign-in .field-label { padding-top: 0; }
.sign-in .actions { padding-left: 0; border-top: 0; }
.alert {
  margin: 0 0 1rem;
  padding: 0.625rem 0.75rem;
  border: 1px solid #f4c7c3;
  border-left: 4px solid var(--danger);
  border-radius: 4px;
  background: #fef3f2;
  color: #7a271a;
}
.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip-path: inset(50%);
  white-space: nowrap;
}
@media (max-width: 36rem) {
  .field { grid-template-columns: minmax(0, 1fr); row-gap: 0.3125rem; }
  .field-label { padding-top: 0; }
  .actions { padding-left: 0; }
}
`;
