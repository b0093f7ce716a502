import { useSignal } from "@preact/signals";
import { useRef } from "preact/hooks";
import type { OwnShow } from "../../shared/xmpp/presence/presence_store.ts";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import type { Account } from "../../shared/xmpp/session/account.ts";
import { AVAILABILITY_LABEL, PresenceIcon } from "./presence_icon.tsx";
import { MenuPopup } from "./menu_popup.tsx";

export interface StateMenuProps {
  readonly account: Account;
  readonly session: SessionModel;
}

const SHOWS: readonly OwnShow[] = ["available", "away", "dnd"];

/** Seed "Change Your Desktop Chat State" and "Sign Out". */
export function StateMenu({ account, session }: StateMenuProps) {
  const open = useSignal(false);
  const button = useRef<HTMLButtonElement>(null);
  const own = account.presence.own.value;

  return (
    <div class="state-menu">
      <button
        ref={button}
        type="button"
        class="state-button"
        aria-haspopup="menu"
        aria-expanded={open.value}
        aria-label={`Your chat state: ${
          AVAILABILITY_LABEL[own.show]
        }. Change state or sign out`}
        onClick={() => (open.value = !open.value)}
      >
        <PresenceIcon availability={own.show} />
        <span>{AVAILABILITY_LABEL[own.show]}</span>
        <span class="chevron" aria-hidden="true">▾</span>
      </button>
      {open.value && (
        <MenuPopup
          label="Chat state"
          anchor={button.current}
          onClose={() => (open.value = false)}
          items={[
            ...SHOWS.map((show) => ({
              label: AVAILABILITY_LABEL[show],
              icon: <PresenceIcon availability={show} />,
              checked: own.show === show,
              onSelect: () =>
                void account.presence.setPresence(show, own.status),
            })),
            { separator: true as const },
            { label: "Sign Out", onSelect: () => void session.signOut() },
          ]}
        />
      )}
    </div>
  );
}
