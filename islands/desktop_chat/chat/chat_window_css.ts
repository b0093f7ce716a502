// The floating chat window, its tabs, the close-all question and the
// toaster. Colours from the theme's --dc-* properties; the header is the
// accent colour with white (5.6:1) so the window reads as a window.
export const CHAT_WINDOW_CSS = `
.chat-window {
  position: fixed; z-index: 1100; display: flex; flex-direction: column;
  color: var(--dc-fg); background: var(--dc-bg);
  border: 1px solid var(--dc-border); border-radius: 8px;
  box-shadow: 0 12px 32px rgb(16 24 40 / 24%), 0 2px 6px rgb(16 24 40 / 12%);
}
.chat-window[data-minimised=true] { transform: translateY(-100%); }
/* Under the contacts panel (.popover, 1000) while the agent works there. */
.chat-window-under:not([data-minimised=true]) { z-index: 900; }
.chat-window-header {
  display: flex; align-items: center; gap: 0.5rem; flex: none;
  height: 44px; padding: 0 0.25rem 0 0.75rem;
  background: var(--dc-accent); color: #fff; border-radius: 7px 7px 0 0;
  cursor: grab; user-select: none; touch-action: none;
}
.chat-window[data-minimised=true] .chat-window-header { border-radius: 7px; }
.chat-window-header:active { cursor: grabbing; }
.chat-window-header :focus-visible { outline: 2px solid #fff; outline-offset: -2px; }
.chat-heading { display: flex; flex-direction: column; flex: 1 1 auto; min-width: 0; }
.chat-title, .chat-subtitle {
  margin: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
}
.chat-title-line { display: flex; align-items: center; gap: 0.3rem; min-width: 0; }
.chat-title { font-size: 14px; font-weight: 600; line-height: 1.25; min-width: 0; }
/* The contact's state in words under the name: #e6f0f8 on the accent, 4.6:1. */
.chat-subtitle { font-size: 11.5px; line-height: 1.25; color: #e6f0f8; }
.chat-unread-count {
  flex: none; min-width: 22px; height: 22px; padding: 0 7px; border-radius: 11px;
  background: #fff; color: var(--dc-accent-dark);
  font-size: 12px; font-weight: 700; line-height: 22px; text-align: center;
}
.chat-window-actions { display: flex; flex: none; gap: 2px; }
.chat-header-button { width: 30px; height: 30px; color: #fff; }
.chat-header-button:hover { background: rgb(255 255 255 / 18%); color: #fff; }
.chat-body { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.chat-conversation { display: flex; flex-direction: column; flex: 1; min-height: 0; }
.chat-tabs {
  display: flex; align-items: stretch; gap: 0.25rem; flex: none; height: 38px;
  padding: 0 0.35rem 0 0; border-top: 1px solid var(--dc-line);
  background: var(--dc-bg-alt); border-radius: 0 0 7px 7px;
}
.chat-tablist { display: flex; flex: 1; min-width: 0; }
.chat-tab-item { position: relative; display: flex; flex: 1 1 0; min-width: 0; max-width: 11rem; }
.chat-tab {
  display: flex; align-items: center; gap: 0.4rem; width: 100%; min-width: 0;
  padding: 0 0.55rem; border: 0; border-top: 2px solid transparent;
  background: transparent; color: var(--dc-muted); cursor: pointer; text-align: left;
}
.chat-tab-item:first-child .chat-tab { border-bottom-left-radius: 7px; }
.chat-tab:hover { background: var(--dc-hover); color: var(--dc-fg); }
.chat-tab[aria-selected=true] {
  background: var(--dc-bg); color: var(--dc-fg); font-weight: 600;
  border-top-color: var(--dc-accent);
}
.chat-tab:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: -2px; }
.tab-status { flex: none; display: flex; width: 12px; justify-content: center; }
.tab-flag { flex: none; display: inline-flex; color: #7a4100; }
.tab-name { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.tab-badge {
  flex: none; min-width: 18px; height: 18px; padding: 0 5px; border-radius: 9px;
  background: var(--dc-danger); color: #fff; font-size: 11px; font-weight: 700;
  line-height: 18px; text-align: center;
}
.tab-close {
  position: absolute; left: calc(0.55rem - 4px); top: 50%; transform: translateY(-50%);
  display: flex; align-items: center; justify-content: center;
  width: 20px; height: 20px; padding: 0; border: 0; border-radius: 50%;
  background: var(--dc-hover); color: var(--dc-fg); cursor: pointer;
  opacity: 0; pointer-events: none;
}
.tab-close .chat-glyph { width: 12px; height: 12px; }
.tab-close:hover { background: var(--dc-border); }
.chat-tab-item:hover .tab-close, .chat-tab-item:focus-within .tab-close { opacity: 1; pointer-events: auto; }
.chat-tab-item:hover .tab-status, .chat-tab-item:focus-within .tab-status { visibility: hidden; }
@media (hover: none) {
  .chat-tab-item[data-selected=true] .tab-close { opacity: 1; pointer-events: auto; }
  .chat-tab-item[data-selected=true] .tab-status { visibility: hidden; }
}
.more-chats { position: relative; display: flex; align-items: center; flex: none; }
.more-chats-button {
  position: relative; min-width: 38px; height: 26px; padding: 0 0.55rem;
  border: 1px solid var(--dc-border); border-radius: 13px; background: var(--dc-bg);
  color: var(--dc-fg); font-weight: 600; cursor: pointer;
}
.more-chats-button:hover, .more-chats-button[aria-expanded=true] { background: var(--dc-hover); }
.more-chats-dot {
  position: absolute; top: -3px; right: -3px; width: 10px; height: 10px;
  border: 2px solid var(--dc-bg-alt); border-radius: 50%; background: var(--dc-danger);
}
.more-chats .menu {
  top: auto; bottom: calc(100% + 6px); max-width: 16rem; max-height: 50vh; overflow-y: auto;
}
.more-chats .menu-item span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
/* Names take the direction of their own first strong letter (CSS Writing
   Modes §2.2, like dir=auto): a right-to-left name cut by the ellipsis
   keeps its beginning, not its end. */
.chat-title, .tab-name, .toast-name, .more-chats .menu-item span {
  unicode-bidi: plaintext; text-align: match-parent;
}
.chat-confirm-layer {
  position: absolute; inset: 0; z-index: 2; display: flex; align-items: center;
  justify-content: center; padding: 1rem; border-radius: 7px; background: rgb(16 24 40 / 40%);
}
.chat-window[data-minimised=true] .chat-confirm-layer {
  inset: auto 0 calc(100% + 6px) 0; padding: 0; background: none;
}
.chat-confirm {
  width: min(20rem, 100%); padding: 1rem; border: 1px solid var(--dc-border);
  border-radius: 8px; background: var(--dc-bg); box-shadow: var(--dc-shadow);
}
.chat-confirm-title { margin: 0 0 0.35rem; font-size: 1rem; }
.chat-confirm-text { margin: 0 0 1rem; color: var(--dc-muted); }
.chat-confirm-actions { display: flex; justify-content: flex-end; gap: 0.5rem; }
/* Bottom left: clear of the panel under the launcher and of the window. */
.toaster {
  position: fixed; bottom: 1rem; left: 1rem; z-index: 1200;
  display: flex; flex-direction: column; gap: 0.5rem; width: min(22rem, calc(100vw - 2rem));
}
/* Narrow: at the top, under the desktop's header, off the window's composer. */
@media (max-width: 600px) { .toaster { top: 3.5rem; bottom: auto; } }
.toast {
  display: flex; align-items: flex-start; color: var(--dc-fg); background: var(--dc-bg);
  border: 1px solid var(--dc-border); border-left: 4px solid var(--dc-accent);
  border-radius: 6px; box-shadow: var(--dc-shadow);
}
.toast-open {
  display: flex; flex-direction: column; gap: 0.15rem; flex: 1; min-width: 0;
  padding: 0.6rem 0.75rem; border: 0; background: transparent; text-align: left; cursor: pointer;
}
.toast-open:focus-visible { outline-offset: -2px; }
.toast-name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.toast-body {
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2;
  overflow: hidden; overflow-wrap: anywhere; color: var(--dc-muted);
}
.toast-dismiss { flex: none; margin: 0.35rem 0.35rem 0 0; }
`;
