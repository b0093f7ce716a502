// The element's design tokens and base rules, scoped by its shadow root so
// the Finesse desktop's stylesheets neither reach in nor get overridden.
// Component style modules use only these custom properties for colour.
export const THEME_CSS = `
:host {
  display: block;
  /* No colour here: the launcher inherits the desktop header's; the panel,
     window and toaster set --dc-fg on themselves. */
  font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --dc-fg: #1f2933;
  --dc-muted: #5f6b7a;
  --dc-bg: #fff;
  --dc-bg-alt: #f5f7fa;
  --dc-hover: #eef2f6;
  --dc-selected: #dcebf8;
  --dc-border: #d3d9e0;
  /* A control's edge: 3.4:1 on --dc-bg-alt, 3.7:1 on --dc-bg (WCAG 1.4.11). */
  --dc-control-edge: #7b8794;
  /* Text that confirms: 5.9:1 on --dc-bg. */
  --dc-success: #137333;
  --dc-line: #e4e7eb;
  --dc-accent: #0b6fb8;
  --dc-accent-dark: #085a96;
  --dc-danger: #b42318;
  --dc-focus: #1a73e8;
  --dc-available: #1e8e3e;
  --dc-away: #c77700;
  --dc-dnd: #c5221f;
  --dc-offline: #80868b;
  --dc-radius: 4px;
  --dc-row: 32px;
  --dc-shadow: 0 4px 16px rgb(16 24 40 / 18%);
}
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button, input, select { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: 1px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.presence-icon { flex: none; vertical-align: middle; }
.presence-available { fill: var(--dc-available); }
.presence-away { fill: var(--dc-away); }
.presence-dnd { fill: var(--dc-dnd); }
.presence-offline { stroke: var(--dc-offline); }
.button {
  display: inline-flex; align-items: center; justify-content: center; gap: 0.35rem;
  min-height: 28px; padding: 0 0.8rem; border: 1px solid var(--dc-border);
  border-radius: var(--dc-radius); background: var(--dc-bg); cursor: pointer;
}
.button:hover { background: var(--dc-hover); }
.button:disabled { opacity: 0.6; cursor: default; }
.button-primary { background: var(--dc-accent); border-color: var(--dc-accent); color: #fff; }
.button-primary:hover { background: var(--dc-accent-dark); }
.button-danger { background: var(--dc-danger); border-color: var(--dc-danger); color: #fff; }
.icon-button {
  display: inline-flex; align-items: center; justify-content: center;
  width: 26px; height: 26px; padding: 0; border: 0; border-radius: var(--dc-radius);
  background: transparent; color: var(--dc-muted); cursor: pointer;
}
.icon-button:hover { background: var(--dc-hover); color: var(--dc-fg); }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin-bottom: 0.75rem; }
.field label { font-weight: 600; }
.field input, .field select {
  min-height: 30px; padding: 0.25rem 0.5rem; border: 1px solid var(--dc-border);
  border-radius: var(--dc-radius); background: var(--dc-bg);
}
.field-error { color: var(--dc-danger); font-size: 0.92em; }
.alert {
  margin: 0 0 0.75rem; padding: 0.5rem 0.65rem; border-radius: var(--dc-radius);
  background: #fdecea; color: var(--dc-danger); border: 1px solid #f5c2bd;
}
`;
