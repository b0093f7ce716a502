// The launcher, the panel frame and the sign-in form (the signed-in header:
// account_header_css.ts).
export const PANEL_CSS = `
.launcher-layout { position: relative; display: inline-block; }
.launcher {
  position: relative; display: inline-flex; align-items: center; justify-content: center;
  width: 36px; height: 32px; border: 0; border-radius: var(--dc-radius);
  background: transparent; color: inherit; cursor: pointer;
}
/* The glyph takes the desktop header's own text colour (the host's, not
   the theme's): a header icon contrasts as its header's text does (WCAG
   1.4.11), signed in or not. */
.launcher:hover, .launcher[aria-expanded=true] { background: rgb(255 255 255 / 16%); }
.launcher:focus-visible { outline-color: currentColor; }
/* Seed (Do Not Disturb): the icon blinks while messages wait unseen. */
.launcher[data-blink=true] {
  box-shadow: inset 0 0 0 2px #fbbf24; animation: dc-blink 1s steps(1, end) infinite;
}
@keyframes dc-blink { 50% { background: rgb(251 191 36 / 45%); } }
@media (prefers-reduced-motion: reduce) {
  .launcher[data-blink=true] { animation: none; background: rgb(251 191 36 / 30%); }
}
.launcher-state {
  position: absolute; right: 3px; bottom: 3px; display: flex;
  border-radius: 50%; background: #fff; padding: 1px;
}
.launcher-state .presence-icon { width: 10px; height: 10px; }
.popover {
  position: absolute; right: 0; top: calc(100% + 6px); z-index: 1000;
  width: min(22rem, calc(100vw - 1rem));
  /* use_panel_popover.ts: the viewport below the launcher, not a fixed height. */
  height: var(--dc-panel-height, calc(100vh - 5rem));
  color: var(--dc-fg);
  box-shadow: var(--dc-shadow);
  border-radius: 6px;
}
.panel {
  position: relative; display: flex; flex-direction: column; height: 100%; min-height: 24rem;
  color: var(--dc-fg);
  background: var(--dc-bg); border: 1px solid var(--dc-border); border-radius: 6px; overflow: hidden;
}
.sign-in { padding: 1.25rem 1.25rem 1rem; overflow-y: auto; }
.sign-in-title { margin: 0 0 1rem; font-size: 1.05rem; font-weight: 600; }
.sign-in-submit { width: 100%; min-height: 32px; }
.sign-in-submit[aria-disabled=true] { opacity: 0.7; cursor: progress; }
.alert strong { display: block; }
.alert-detail { margin: 0.3rem 0 0; color: var(--dc-fg); word-break: break-word; }
.alert-detail a { color: var(--dc-accent); }
.alert-retry { margin-top: 0.5rem; }
.menu {
  position: absolute; right: 0; top: calc(100% + 4px); z-index: 20; min-width: 11rem;
  padding: 0.25rem 0; background: var(--dc-bg); border: 1px solid var(--dc-border);
  border-radius: var(--dc-radius); box-shadow: var(--dc-shadow);
}
.menu-item {
  display: flex; align-items: center; gap: 0.5rem; width: 100%; padding: 0.4rem 0.75rem;
  border: 0; background: transparent; text-align: left; cursor: pointer;
}
.menu-item:hover, .menu-item:focus { background: var(--dc-hover); outline: none; }
.menu-item[aria-checked=true] { font-weight: 600; }
.menu-separator { height: 1px; margin: 0.25rem 0; background: var(--dc-line); }
.signed-in { display: flex; flex-direction: column; flex: 1; min-height: 0; }
`;
