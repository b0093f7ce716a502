import { useSignal } from "@preact/signals";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { ChatPanel } from "./chat_panel.tsx";
import { Launcher } from "./launcher.tsx";

/** launcher: the header icon that opens the panel; inline: the panel alone (a gadget tab). */
export type Layout = "launcher" | "inline";

export interface DesktopChatProps {
  readonly session: SessionModel;
  readonly layout: Layout;
}

export function DesktopChat({ session, layout }: DesktopChatProps) {
  const open = useSignal(false);
  if (layout === "inline") return <ChatPanel session={session} />;
  return (
    <div class="launcher-layout">
      <Launcher
        session={session}
        expanded={open.value}
        onToggle={() => (open.value = !open.value)}
      />
      {/* Kept mounted while hidden: the contact list keeps its place. */}
      <div class="popover" hidden={!open.value}>
        <ChatPanel session={session} />
      </div>
    </div>
  );
}
