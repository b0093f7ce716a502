import { useSignal } from "@preact/signals";
import { useMemo, useRef } from "preact/hooks";
import type { SessionModel } from "../../shared/xmpp/session/session_store.ts";
import { ChatPanel } from "./chat_panel.tsx";
import { ChatWindowView } from "./chat/chat_window.tsx";
import type { ChatWindowModel } from "./chat/chat_window_model.ts";
import { type OpenChat, OpenChatContext } from "./chat/open_chat_context.ts";
import { Toaster } from "./chat/toaster.tsx";
import { useChatWindow } from "./chat/use_chat_window.ts";
import { Launcher } from "./launcher.tsx";
import { usePanelPopover } from "./use_panel_popover.ts";

/** The panel's width (panel_css.ts .popover, 22rem) and a gap. */
const PANEL_RESERVE = 360;

/** launcher: the header icon that opens the panel; inline: the panel alone (a gadget tab). */
export type Layout = "launcher" | "inline";

export interface DesktopChatProps {
  readonly session: SessionModel;
  readonly layout: Layout;
}

/**
 * The panel (behind the launcher or inline) and, once signed in, the
 * floating chat window and the toaster, which live outside the panel so
 * that both layouts have them.
 */
export function DesktopChat({ session, layout }: DesktopChatProps) {
  const account = session.account.value;
  // Behind the launcher, a new window docks left of where the panel opens.
  const chatWindow = useChatWindow(
    account,
    layout === "launcher" ? PANEL_RESERVE : 0,
  );
  const openChat = useMemo<OpenChat | undefined>(
    () => chatWindow && ((jid) => chatWindow.open(jid, { gesture: true })),
    [chatWindow],
  );
  return (
    <OpenChatContext.Provider value={openChat}>
      {layout === "inline"
        ? <ChatPanel session={session} />
        : <LauncherLayout session={session} chatWindow={chatWindow} />}
      {account && chatWindow && (
        <ChatWindowView
          key={account.jid}
          account={account}
          model={chatWindow}
        />
      )}
      {chatWindow && <Toaster model={chatWindow} />}
    </OpenChatContext.Provider>
  );
}

interface LauncherLayoutProps {
  readonly session: SessionModel;
  readonly chatWindow: ChatWindowModel | undefined;
}

function LauncherLayout({ session, chatWindow }: LauncherLayoutProps) {
  const open = useSignal(false);
  const root = useRef<HTMLDivElement>(null);
  usePanelPopover(open.value, root, (refocus) => {
    open.value = false;
    if (refocus) {
      root.current?.querySelector<HTMLElement>(".launcher")?.focus();
    }
  });
  return (
    <div class="launcher-layout" ref={root}>
      <Launcher
        session={session}
        expanded={open.value}
        blink={chatWindow?.blink.value ?? false}
        onToggle={() => {
          open.value = !open.value;
          // Seed (DND): the icon blinks until the agent looks.
          chatWindow?.launcherUsed(open.value);
        }}
      />
      {/* Kept mounted while hidden: the contact list keeps its place. */}
      <div class="popover" hidden={!open.value}>
        <ChatPanel session={session} />
      </div>
    </div>
  );
}
