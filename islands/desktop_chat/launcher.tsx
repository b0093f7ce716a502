import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { AVAILABILITY_LABEL, PresenceIcon } from "./presence_icon.tsx";

export interface LauncherProps {
  readonly session: SessionModel;
  readonly expanded: boolean;
  /** Messages came in Do Not Disturb while the window was not active. */
  readonly blink: boolean;
  readonly onToggle: () => void;
}

/** Seed "Sign In", step 1: the Desktop Chat icon in the desktop's header. */
export function Launcher(
  { session, expanded, blink, onToggle }: LauncherProps,
) {
  const own = session.account.value?.presence.own.value;
  const state = own ? `Desktop Chat: ${AVAILABILITY_LABEL[own.show]}` : "";
  return (
    <button
      type="button"
      class="launcher"
      aria-label="Desktop Chat"
      aria-expanded={expanded}
      aria-controls="dc-panel"
      data-blink={String(blink)}
      title={blink ? `${state}, new messages` : state || "Desktop Chat"}
      onClick={onToggle}
    >
      <svg
        viewBox="0 0 24 24"
        width="20"
        height="20"
        aria-hidden="true"
        focusable="false"
      >
        <path
          d="M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4.3 3.4A.5.5 0 0 1 4 20V5a1 1 0 0 1 1-1z"
          fill="currentColor"
        />
      </svg>
      {own && (
        <span class="launcher-state">
          <PresenceIcon availability={own.show} />
        </span>
      )}
    </button>
  );
}
