import { useEffect, useId, useLayoutEffect, useRef } from "preact/hooks";
import type { Account } from "../../../shared/xmpp/session/account.ts";
import { IdentityBanner } from "../identity/identity_banner.tsx";
import { ChatHeader } from "./chat_header.tsx";
import { ChatTabs } from "./chat_tabs.tsx";
import type { ChatWindowModel } from "./chat_window_model.ts";
import { CloseAllConfirm } from "./close_all_confirm.tsx";
import { ConversationView } from "./conversation/conversation_view.tsx";

export interface ChatWindowViewProps {
  readonly account: Account;
  readonly model: ChatWindowModel;
}

/**
 * The floating chat window (seed "Chat Window"), fixed in the viewport and
 * outside the contacts panel: header, the active conversation, tabs. While
 * minimised only the header shows, where the frame's bottom edge was.
 */
export function ChatWindowView({ account, model }: ChatWindowViewProps) {
  const base = useId();
  const titleId = `${base}-title`;
  const panelId = `${base}-panel`;
  const tabId = (jid: string) => `${base}-tab-${jid}`;
  const section = useRef<HTMLElement>(null);
  const state = model.state.value;
  const active = account.chats.active.value;
  const focusTick = model.focusRequest.value;

  // The window stays inside a viewport that shrinks (issue 13).
  useEffect(() => {
    const onResize = () =>
      model.setViewport({ width: innerWidth, height: innerHeight });
    onResize();
    addEventListener("resize", onResize);
    return () => removeEventListener("resize", onResize);
  }, [model]);

  // A chat the agent opened gets the keyboard: its composer.
  useLayoutEffect(() => {
    if (focusTick === 0) return;
    section.current?.querySelector<HTMLElement>(
      "textarea[aria-label=Message]",
    )?.focus({ preventScroll: true });
  }, [focusTick]);

  if (state === "hidden") return null;
  const minimised = state === "minimised";
  const frame = model.frame.value;
  const at = model.position.value;
  return (
    <section
      ref={section}
      class={model.raised.value
        ? "chat-window"
        : "chat-window chat-window-under"}
      aria-label="Chat"
      // Working in the window brings it above the contacts panel.
      onPointerDownCapture={model.raise}
      onFocusCapture={model.raise}
      data-minimised={String(minimised)}
      data-size={model.size.value}
      style={{
        left: `${at.x}px`,
        width: `${frame.width}px`,
        // Minimised, the header hangs from where the frame's bottom was.
        top: `${minimised ? at.y + frame.height : at.y}px`,
        height: minimised ? undefined : `${frame.height}px`,
      }}
    >
      <ChatHeader account={account} model={model} titleId={titleId} />
      <div class="chat-body" hidden={minimised}>
        {active !== undefined && (
          <div
            role="tabpanel"
            id={panelId}
            class="chat-conversation"
            aria-labelledby={tabId(active)}
          >
            <IdentityBanner account={account} jid={active} />
            <ConversationView key={active} account={account} jid={active} />
          </div>
        )}
        <ChatTabs account={account} tabId={tabId} panelId={panelId} />
      </div>
      {model.confirmingClose.value && (
        <CloseAllConfirm
          count={account.chats.open.value.length}
          onConfirm={() => {
            // The window goes; focus goes to the launcher (WAI-ARIA APG
            // dialog: to a logical place), when there is one (not inline).
            const root = section.current?.getRootNode();
            model.closeAll();
            if (root instanceof ShadowRoot) {
              root.querySelector<HTMLElement>(".launcher")?.focus();
            }
          }}
          onCancel={model.cancelCloseAll}
        />
      )}
    </section>
  );
}
