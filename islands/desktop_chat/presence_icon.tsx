import type { Availability } from "../../shared/xmpp/presence/presence_compose.ts";

/** What each state is called, in the seed's words. */
export const AVAILABILITY_LABEL: Readonly<Record<Availability, string>> = {
  available: "Available",
  away: "Away",
  dnd: "Do Not Disturb",
  offline: "Offline",
};

export interface PresenceIconProps {
  readonly availability: Availability;
}

/**
 * A coloured dot with a distinct shape per state (a bar for Do Not Disturb, a
 * clock hand for Away, a ring for Offline), so the state does not rest on
 * colour alone (WCAG 1.4.1). Decorative: the text beside it names the state.
 */
export function PresenceIcon({ availability }: PresenceIconProps) {
  return (
    <svg
      class={`presence-icon presence-${availability}`}
      viewBox="0 0 12 12"
      width="12"
      height="12"
      aria-hidden="true"
      focusable="false"
    >
      {availability === "offline"
        ? <circle cx="6" cy="6" r="4.5" fill="none" stroke-width="2" />
        : <circle cx="6" cy="6" r="5.5" />}
      {availability === "dnd" && (
        <rect x="2.5" y="5" width="7" height="2" rx="1" fill="#fff" />
      )}
      {availability === "away" && (
        <path
          d="M6 3v3.2l2 1.3"
          fill="none"
          stroke="#fff"
          stroke-width="1.4"
          stroke-linecap="round"
        />
      )}
    </svg>
  );
}
