// Contact requests above the contact list: they wait for an answer, so they
// stand out from the list without hiding it. The area grows with its cards
// up to 45% of the panel, then scrolls under a sticky title that counts
// them, so no card's buttons are ever cut off out of reach.
export const REQUESTS_CSS = `
.requests {
  flex: none; max-height: 45%; overflow-y: auto; overscroll-behavior: contain;
  border-bottom: 1px solid var(--dc-line); background: var(--dc-bg-alt);
}
.requests-title {
  position: sticky; top: 0; z-index: 1; margin: 0; padding: 0.4rem 0.75rem 0.2rem;
  background: var(--dc-bg-alt); color: var(--dc-muted);
  font-size: 0.78rem; font-weight: 600; letter-spacing: 0.04em; text-transform: uppercase;
}
.requests-list { margin: 0; padding: 0; list-style: none; }
.request { padding: 0.45rem 0.75rem; border-top: 1px solid var(--dc-line); }
.request:first-child { border-top: 0; }
.request-text { margin: 0 0 0.35rem; overflow-wrap: anywhere; }
.request-jid { display: block; color: var(--dc-muted); font-size: 0.92em; }
/* Who asks, in words (issue 14). */
.request-identity { margin: -0.2rem 0 0.4rem; }
.request-actions { display: flex; gap: 0.4rem; }
.request-actions .button { min-height: 24px; padding: 0 0.6rem; }
.request-actions .button[aria-disabled=true] { opacity: 0.6; cursor: progress; }
.request .field-error { margin: 0.3rem 0 0; }
`;
