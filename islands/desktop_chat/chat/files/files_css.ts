// The attachments: file cards in the message list and Send a file beside
// the composer. Colours from the theme; fixed ones checked in comments
// (WCAG 1.4.3 text 4.5:1, 1.4.11 controls 3:1).
export const FILES_CSS = `
.file-row { display: flex; padding: 8px 10px 0; }
.file-row[data-direction="out"] { justify-content: flex-end; }
.file-card {
  display: grid; gap: 6px; width: min(320px, 85%); min-width: 0; padding: 8px 10px;
  border: 1px solid var(--dc-border); border-radius: 8px; background: var(--dc-bg-alt);
  color: var(--dc-fg);
}
.file-row[data-direction="out"] .file-card { border-color: #9cc3e4; background: #eef6fc; }
.attachment-header { display: flex; align-items: center; gap: 8px; min-width: 0; }
.file-icon { flex: none; fill: none; stroke: var(--dc-accent); stroke-width: 1.2; stroke-linejoin: round; }
.file-name {
  flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
  font-weight: 600;
}
.file-size { flex: none; color: var(--dc-muted); font-size: 12px; }
.file-progress {
  height: 8px; border-radius: 4px; overflow: hidden;
  /* An empty track shows too: its edge #7b8794 on either card 3.4:1, the
     bar #0b6fb8 on its white 5.3:1. */
  background: var(--dc-bg); border: 1px solid var(--dc-field-border);
}
.file-progress-bar { height: 100%; background: var(--dc-accent); transition: width 0.15s linear; }
.file-status { margin: 0; font-size: 12px; line-height: 18px; color: var(--dc-fg); overflow-wrap: anywhere; }
.file-row:is([data-phase="failed"], [data-refused]) .file-status { color: var(--dc-danger); /* 6.1:1 on #f5f7fa */ }
.file-row[data-phase="downloaded"] .file-status { color: var(--dc-success); }
.file-note { margin: 0; font-size: 12px; line-height: 16px; color: var(--dc-muted); /* 5.1:1 */ }
.file-actions { display: flex; flex-wrap: wrap; gap: 6px; }
.file-actions .button { min-height: 28px; }
.file-actions .button:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: 1px; }
.file-footer { display: flex; align-items: baseline; gap: 8px; min-width: 0; }
.file-footer .file-status { flex: 1; min-width: 0; }
.file-time { flex: none; color: var(--dc-muted); font-size: 11px; }
.send-file { position: relative; flex: none; display: flex; }
.send-file-button { width: 34px; height: 34px; color: var(--dc-muted); }
.send-file-button svg { fill: none; stroke: currentColor; stroke-width: 1.4; stroke-linecap: round; }
.send-file-button:focus-visible { outline: 2px solid var(--dc-focus); outline-offset: 0; }
.send-file-button[aria-disabled="true"] { color: var(--dc-offline); cursor: not-allowed; background: transparent; }
.send-file-input { display: none; }
.send-file-reason {
  position: absolute; bottom: calc(100% + 6px); left: 0; z-index: 2; width: max-content;
  max-width: min(260px, 70vw); padding: 6px 8px; border-radius: var(--dc-radius);
  background: #1f2933; color: #fff; /* 14.7:1 */ font-size: 12px; line-height: 16px;
  visibility: hidden; pointer-events: none;
}
.send-file:hover .send-file-reason, .send-file:focus-within .send-file-reason { visibility: visible; }
.send-file-refusal {
  position: absolute; bottom: calc(100% + 6px); left: 0; z-index: 2; display: flex;
  align-items: flex-start; gap: 6px; width: max-content; max-width: min(300px, 75vw);
  margin: 0; padding: 6px 4px 6px 10px; border: 1px solid #f5c2bd; border-radius: var(--dc-radius);
  background: #fdecea; color: var(--dc-danger); /* 5.6:1 */ font-size: 12px; line-height: 18px;
  overflow-wrap: anywhere; box-shadow: var(--dc-shadow);
}
.send-file-refusal .icon-button { flex: none; width: 22px; height: 22px; color: var(--dc-danger); }
`;
