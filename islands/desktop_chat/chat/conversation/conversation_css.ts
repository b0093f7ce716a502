// The conversation: message list, typing line and composer. Colours from
// the theme's --dc-* properties; the few fixed ones are checked for
// contrast in their comment (WCAG 1.4.3 text 4.5:1, 1.4.11 controls 3:1).
export const CONVERSATION_CSS = `
.conversation {
  display: flex; flex-direction: column; flex: 1; min-width: 0; min-height: 0;
  background: var(--dc-bg);
  /* Field edge #7b8794 on white 3.7:1; time on the accent bubble
     #f0f6fc on #0b6fb8 4.9:1; muted on the incoming bubble 4.8:1. */
  --dc-field-border: #7b8794;
  --dc-bubble-in: #eef2f6;
  --dc-bubble-out: var(--dc-accent);
  --dc-on-accent-muted: #f0f6fc;
}
.message-list-frame { position: relative; display: flex; flex: 1; min-height: 0; }
.message-list {
  flex: 1; min-width: 0; overflow-x: hidden; overflow-y: auto;
  /* The list holds its own place when rows above change (use_virtual_list). */
  overflow-anchor: none; overscroll-behavior: contain; contain: content;
  padding-bottom: 8px;
}
.message-list:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: -2px; }
.message-list-empty {
  position: absolute; inset: 0; display: flex; flex-direction: column;
  align-items: center; justify-content: center; gap: 0.35rem; padding: 1.5rem;
  text-align: center; color: var(--dc-muted); overflow-wrap: anywhere; pointer-events: none;
}
.message-list-empty svg {
  fill: none; stroke: var(--dc-offline); stroke-width: 1.5; stroke-linejoin: round;
  margin-bottom: 0.25rem;
}
.message-list-empty p { margin: 0; }
.empty-title { color: var(--dc-fg); font-weight: 600; }
.empty-hint { font-size: 12px; }
.message-spacer { flex: none; }
.day-row {
  display: flex; align-items: center; gap: 0.6rem; padding: 12px 12px 4px;
  color: var(--dc-muted); font-size: 11px; font-weight: 600; line-height: 18px;
}
.day-row::before, .day-row::after { content: ""; flex: 1; height: 1px; background: var(--dc-line); }
.message-row {
  display: flex; flex-direction: column; align-items: flex-start;
  padding: 8px 12px 0;
}
.message-row.continued { padding-top: 2px; }
.message-row[data-direction=out] { align-items: flex-end; }
.message-bubble {
  max-width: 80%; min-width: 0; padding: 6px 10px; border-radius: 12px;
  background: var(--dc-bubble-in); color: var(--dc-fg);
}
.message-row[data-direction=in] .message-bubble { border-bottom-left-radius: 4px; }
.message-row[data-direction=out] .message-bubble {
  background: var(--dc-bubble-out); color: #fff; border-bottom-right-radius: 4px;
}
.message-body {
  margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 18px;
}
.message-body a { color: var(--dc-accent-dark); text-decoration: underline; }
.message-row[data-direction=out] .message-body a { color: #fff; }
.message-body a:focus-visible { outline-offset: 0; border-radius: 2px; }
.message-meta {
  display: flex; justify-content: flex-end; align-items: center; gap: 4px;
  font-size: 11px; line-height: 16px; color: var(--dc-muted); white-space: nowrap;
}
.message-row[data-direction=out] .message-meta { color: var(--dc-on-accent-muted); }
.message-via { overflow: hidden; text-overflow: ellipsis; }
.delivery-mark { display: inline-flex; }
.delivery-mark svg {
  fill: none; stroke: currentColor; stroke-width: 1.6;
  stroke-linecap: round; stroke-linejoin: round;
}
.message-row[data-state=failed] .message-bubble {
  background: var(--dc-bg); color: var(--dc-fg); border: 1px solid var(--dc-danger);
}
.message-row[data-state=failed] .message-body a { color: var(--dc-accent-dark); }
.message-row[data-state=failed] .message-meta { color: var(--dc-danger); }
.message-failure {
  max-width: 80%; margin: 4px 0 0; color: var(--dc-danger); font-size: 12px;
  line-height: 18px; text-align: right; overflow-wrap: anywhere;
}
.retry-button {
  min-height: 24px; padding: 0 0.5rem; margin-left: 0.25rem;
  border: 1px solid var(--dc-danger); border-radius: var(--dc-radius);
  background: var(--dc-bg); color: var(--dc-danger); font-weight: 600; cursor: pointer;
}
.retry-button:hover:enabled { background: #fdecea; }
.retry-button:disabled { opacity: 0.6; cursor: not-allowed; }
.new-messages {
  position: absolute; left: 50%; bottom: 10px; transform: translateX(-50%);
  display: inline-flex; align-items: center; gap: 0.35rem; min-height: 28px;
  padding: 0 0.85rem; border: 0; border-radius: 999px; background: var(--dc-accent);
  color: #fff; font-size: 12px; font-weight: 600; cursor: pointer;
  /* A white ring parts it from the accent bubbles it floats over. */
  box-shadow: 0 0 0 2px var(--dc-bg), var(--dc-shadow);
}
.new-messages:hover { background: var(--dc-accent-dark); }
.new-messages svg { fill: none; stroke: currentColor; stroke-width: 1.8; stroke-linecap: round; }
.typing-indicator {
  display: flex; align-items: center; gap: 0.4rem; flex: none;
  min-height: 22px; margin: 0; padding: 2px 12px; overflow: hidden;
  color: var(--dc-muted); font-size: 12px; white-space: nowrap; text-overflow: ellipsis;
}
.typing-dots { display: inline-flex; gap: 3px; }
.typing-dots span {
  width: 5px; height: 5px; border-radius: 50%; background: var(--dc-muted);
  animation: dc-typing 1.2s infinite ease-in-out;
}
.typing-dots span:nth-child(2) { animation-delay: 0.15s; }
.typing-dots span:nth-child(3) { animation-delay: 0.3s; }
@keyframes dc-typing { 0%, 60%, 100% { opacity: 0.35; } 30% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .typing-dots span { animation: none; } }
.composer { flex: none; padding: 8px 10px 10px; border-top: 1px solid var(--dc-line); }
.composer-disabled-reason {
  display: flex; align-items: flex-start; gap: 0.45rem; margin: 0 0 8px; padding: 6px 10px;
  border-radius: var(--dc-radius); background: #fff4e5; color: #7a4a00; /* 6.9:1 */
  font-size: 12px; line-height: 18px; overflow-wrap: anywhere;
}
.composer-disabled-reason:empty { display: none; }
.composer-disabled-reason .presence-icon { margin-top: 3px; }
.composer-row { display: flex; align-items: flex-end; gap: 6px; }
.composer-field {
  flex: 1; min-width: 0; min-height: 34px; max-height: calc(5 * 18px + 14px);
  padding: 7px 9px; border: 1px solid var(--dc-field-border); border-radius: 6px;
  background: var(--dc-bg); color: var(--dc-fg); font: inherit; line-height: 18px;
  resize: none; field-sizing: content; overflow-wrap: anywhere;
}
.composer-field::placeholder { color: var(--dc-muted); }
.composer-field:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: 0; border-color: var(--dc-focus); }
.composer-field:disabled {
  background: var(--dc-bg-alt); border-color: var(--dc-border); color: var(--dc-muted);
  cursor: not-allowed;
}
.composer-count { margin: 4px 0 0; color: var(--dc-muted); font-size: 11px; text-align: right; }
.send-button { width: 34px; height: 34px; flex: none; color: var(--dc-accent); }
.send-button svg { fill: currentColor; }
.send-button:disabled { color: var(--dc-offline); cursor: default; background: transparent; }
`;
