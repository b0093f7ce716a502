import { client } from "@xmpp/client";
import { render } from "preact";

// Exported so the bundle keeps @xmpp/client: it proves the client builds for
// the browser until the real UI creates connections with it.
export const createXmppClient: typeof client = client;

export interface DesktopChatLoadingProps {
  settingsUrl: string | null;
}

export function DesktopChatLoading({ settingsUrl }: DesktopChatLoadingProps) {
  if (!settingsUrl) {
    return (
      <p role="alert">Desktop Chat is missing its settings-url attribute.</p>
    );
  }
  return <p role="status">Desktop Chat is loading…</p>;
}

class DesktopChatElement extends HTMLElement {
  readonly #root: ShadowRoot = this.attachShadow({ mode: "open" });

  connectedCallback(): void {
    const settingsUrl = this.getAttribute("settings-url");
    render(<DesktopChatLoading settingsUrl={settingsUrl} />, this.#root);
  }

  disconnectedCallback(): void {
    render(null, this.#root);
  }
}

// Two builds of the bundle on one page (an old and a new gadget) would
// otherwise throw on the second define.
if (!customElements.get("desktop-chat")) {
  customElements.define("desktop-chat", DesktopChatElement);
}
