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
}

/**
 * A stand-in for the Finesse agent desktop: a header with the agent's voice
 * state and the chat element, as a gadget would place it.
 */
export function shellPageRoutes(options: ShellPageOptions): Hono {
  return new Hono().get("/", async (c) => {
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
            <span class="shell-voice-state" aria-label="Voice state">Ready</span>
          </header>
          <main class="shell-main">
            <desktop-chat settings-url="${CHAT_SERVER_SETTINGS_PATH}"></desktop-chat>
          </main>
        </body>
      </html>
    `);
  });
}
