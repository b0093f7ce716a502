// The identity notes (identity_notes.tsx) wherever a person appears. The
// flag is dark amber on a pale amber chip: #7a4100 on #fff4e0 is 7.5:1, on
// white 8.1:1, on the row hover and selection colours 7.2:1 and 6.7:1
// (WCAG 1.4.3); the sign is the same colour. On the chat header's accent
// the sign is pale amber, #ffd98a on #0b6fb8, 3.9:1 (1.4.11 ≥ 3:1).
export const IDENTITY_CSS = `
.identity-notes {
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 0.4rem;
  min-width: 0; font-size: 0.92em; color: var(--dc-muted); overflow-wrap: anywhere;
}
.identity-notes.compact { flex-wrap: nowrap; overflow: hidden; white-space: nowrap; }
.identity-notes.compact > * { flex: 0 1 auto; min-width: 0; overflow: hidden; text-overflow: ellipsis; }
.identity-flag {
  display: inline-flex; align-items: center; gap: 0.25rem; min-width: 0; max-width: 100%;
  padding: 0.05rem 0.35rem; border-radius: var(--dc-radius);
  background: #fff4e0; color: #7a4100; font-weight: 600; line-height: 1.3;
}
.identity-text { min-width: 0; }
.compact .identity-text { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.identity-icon { flex: none; fill: currentColor; }
.identity-banner {
  display: flex; align-items: flex-start; gap: 0.5rem; flex: none;
  margin: 0; padding: 0.5rem 0.75rem; border-bottom: 1px solid #f3c987;
  background: #fff4e0; color: #7a4100; overflow-wrap: anywhere;
}
.identity-banner .identity-icon { margin-top: 0.15rem; }
.identity-banner-text { margin: 0; min-width: 0; }
.identity-banner strong { display: block; }
/* A name takes one line at most, cut with an ellipsis: a 256-character
   name must not push the addresses (what the agent compares) and the
   conversation out of the window. */
.identity-banner-text bdi {
  display: inline-block; max-width: 100%; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; vertical-align: bottom;
}
.title-flag { flex: none; display: inline-flex; color: #ffd98a; }
`;
