import { Hono } from "hono";
import { html } from "hono/html";
import { bundleUrlPath } from "./bundle_manifest.ts";
import {
  CHAT_SERVER_SETTINGS_PATH,
  DESKTOP_CHAT_BUNDLE,
  STATIC_URL_PATH,
} from "./paths.ts";

export interface ShellPageOptions {
  readonly distDir: string;
  readonly xmppDomain?: string;
}

const MAX_AGENT_NAME = 64;

/**
 * A stand-in for the Finesse agent desktop: a header with the agent's name,
 * a voice state that is the desktop's own (seed: chat state is independent
 * of it), and the Desktop Chat icon where a Finesse header column would hold
 * it. `?agent=Name` sets the name shown.
 */
export function shellPageRoutes(options: ShellPageOptions): Hono {
  return new Hono().get("/", async (c) => {
    const agent =
      (c.req.query("agent") ?? "").trim().slice(0, MAX_AGENT_NAME) ||
      "Agent";
    // Read per request: a rebuild in development changes the hashed name.
    const script = await bundleUrlPath(options.distDir, DESKTOP_CHAT_BUNDLE);
    c.header("Cache-Control", "no-cache");
    return c.html(html`
      <!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Agent Desktop</title>
          <link rel="icon" href="data:,">
          <link rel="stylesheet" href="${STATIC_URL_PATH}/shell.css">
          <script type="module" src="${script}"></script>
        </head>
        <body>
          <header class="shell-header">
            <span class="shell-product">Agent Desktop</span>
            <span class="shell-agent">${agent}</span>
            <label class="shell-voice">
              <span class="shell-voice-label">Voice</span>
              <select class="shell-voice-state" aria-label="Voice state">
                <option>Ready</option>
                <option>Not Ready</option>
              </select>
            </label>
            <desktop-chat
              settings-url="${CHAT_SERVER_SETTINGS_PATH}"
              domain="${options.xmppDomain ?? ""}"
            ></desktop-chat>
          </header>
          <main class="shell-main">
            <p class="shell-placeholder">
              Customer calls and digital channels would appear here.
            </p>
          </main>
        </body>
      </html>
    `);
  });
}
