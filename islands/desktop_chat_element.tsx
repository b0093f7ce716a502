import { render } from "preact";
import { adoptStyles } from "./adopt_styles.ts";
import {
  createSessionStore,
  type SessionStore,
} from "../shared/xmpp/session/session_store.ts";
import { ELEMENT_CSS } from "./desktop_chat/element_css.ts";
import { DesktopChat, type Layout } from "./desktop_chat/desktop_chat.tsx";
import { nodeStorage } from "./desktop_chat/node_storage.ts";
import { policyBlocks } from "./desktop_chat/policy_blocks.ts";
import { sessionHistoryStorage } from "../shared/xmpp/chat/history_writer.ts";

/**
 * `<desktop-chat settings-url="https://chat.example.com/api/chat-server-settings"
 * domain="example.com" layout="launcher|inline">`: the agent's chat, in its
 * own shadow root. `domain` completes bare usernames (default: the primary
 * chat server's host); `layout="inline"` shows the panel without the icon,
 * for a gadget tab.
 */
class DesktopChatElement extends HTMLElement {
  // Preact owns only this node, not the shadow root's fallback <style>.
  readonly #mount: HTMLElement = document.createElement("div");
  #session: SessionStore | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    adoptStyles(root, ELEMENT_CSS);
    root.append(this.#mount);
  }

  connectedCallback(): void {
    const settingsUrl = this.getAttribute("settings-url");
    if (!settingsUrl) {
      render(
        <p role="alert">Desktop Chat is missing its settings-url attribute.</p>,
        this.#mount,
      );
      return;
    }
    // Listening from the start: a refusal happens during the sign-in,
    // before the alert that explains it is shown.
    policyBlocks();
    const session = createSessionStore({
      settingsUrl,
      domain: this.getAttribute("domain") || undefined,
      storage: nodeStorage(),
      history: sessionHistoryStorage(),
    });
    this.#session = session;
    const layout: Layout = this.getAttribute("layout") === "inline"
      ? "inline"
      : "launcher";
    render(<DesktopChat session={session} layout={layout} />, this.#mount);
  }

  disconnectedCallback(): void {
    render(null, this.#mount);
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      // Leaving the page (or a refresh) is no sign-out by the agent: the
      // chats stay in sessionStorage for the next sign-in in this tab.
      void session.signOut({ keepHistory: true }).finally(() =>
        session[Symbol.dispose]()
      );
    }
  }
}

// Two builds of the bundle on one page (an old and a new gadget) would
// otherwise throw on the second define.
if (!customElements.get("desktop-chat")) {
  customElements.define("desktop-chat", DesktopChatElement);
}
