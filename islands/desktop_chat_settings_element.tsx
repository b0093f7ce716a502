import { render } from "preact";
import { adoptStyles } from "./adopt_styles.ts";
import { createAdminApi } from "./admin_settings/admin_api.ts";
import { DesktopChatSettings } from "./admin_settings/desktop_chat_settings.tsx";
import { SettingsModel } from "./admin_settings/settings_model.ts";
import { SETTINGS_CSS } from "./admin_settings/styles.ts";

/**
 * `<desktop-chat-settings api-origin="https://chat.example.com">`: the
 * administrator's gadget. Without `api-origin` it talks to the page's own
 * origin (the service's `/admin` page).
 */
class DesktopChatSettingsElement extends HTMLElement {
  // Preact owns only this node: it would take the shadow root's other
  // children (a fallback <style>) for its own and remove them.
  readonly #mount: HTMLElement = document.createElement("div");
  #model: SettingsModel | undefined;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    adoptStyles(root, SETTINGS_CSS);
    root.append(this.#mount);
  }

  connectedCallback(): void {
    const api = createAdminApi({
      origin: this.getAttribute("api-origin") ?? "",
    });
    const model = new SettingsModel(api);
    this.#model = model;
    render(<DesktopChatSettings model={model} />, this.#mount);
    void model.start();
  }

  disconnectedCallback(): void {
    render(null, this.#mount);
    this.#model?.[Symbol.dispose]();
    this.#model = undefined;
  }
}

// Two builds of the bundle on one page would otherwise throw on the second define.
if (!customElements.get("desktop-chat-settings")) {
  customElements.define("desktop-chat-settings", DesktopChatSettingsElement);
}
