import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { AVAILABILITY_LABEL, PresenceIcon } from "./presence_icon.tsx";

export interface LauncherProps {
  readonly session: SessionModel;
  readonly expanded: boolean;
  readonly onToggle: () => void;
}

/** Seed "Sign In", step 1: the Desktop Chat icon in the desktop's header. */
export function Launcher({ session, expanded, onToggle }: LauncherProps) {
  const own = session.account.value?.presence.own.value;
  return (
    <button
      type="button"
      class="launcher"
      aria-label="Desktop Chat"
      aria-expanded={expanded}
      aria-controls="dc-panel"
      title={own
        ? `Desktop Chat: ${AVAILABILITY_LABEL[own.show]}`
        : "Desktop Chat"}
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
