import { Hono } from "hono";
import { html } from "hono/html";
import { bundleUrlPath } from "./bundle_manifest.ts";
import {
  ADMIN_PAGE_PATH,
  DESKTOP_CHAT_SETTINGS_BUNDLE,
  STATIC_URL_PATH,
} from "./paths.ts";

export interface AdminPageOptions {
  readonly distDir: string;
}

/**
 * `/admin`: the Desktop Chat Server Settings gadget on its own page, for an
 * administrator working outside Finesse (and for the browser tests). It is
 * served by the service, so the element talks to the API on its own origin.
 */
export function adminPageRoutes(options: AdminPageOptions): Hono {
  return new Hono().get(ADMIN_PAGE_PATH, async (c) => {
    // Read per request: a rebuild in development changes the hashed name.
    const script = await bundleUrlPath(
      options.distDir,
      DESKTOP_CHAT_SETTINGS_BUNDLE,
    );
    c.header("Cache-Control", "no-cache");
    return c.html(html`
      <!doctype html>
      <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Desktop Chat Server Settings</title>
          <link rel="icon" href="data:,">
          <link rel="stylesheet" href="${STATIC_URL_PATH}/admin.css">
          <script type="module" src="${script}"></script>
        </head>
        <body>
          <main class="admin-main">
            <desktop-chat-settings></desktop-chat-settings>
          </main>
        </body>
      </html>
    `);
  });
}
