import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultSettings } from "../shared/settings/settings_schema.ts";
import { createAdminAuth } from "./admin_auth.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { openSettingsStore } from "./settings_store.ts";

const { staticDir } = loadConfig({});
const MANIFEST = {
  "desktop-chat.js": "desktop-chat-ABCDEFGH.js",
  "desktop-chat-settings.js": "desktop-chat-settings-IJKLMNOP.js",
};

Deno.test("the admin page and its gadget", async (t) => {
  const distDir = await Deno.makeTempDir({ prefix: "desktop_chat_dist_" });
  await Deno.writeTextFile(
    join(distDir, "manifest.json"),
    JSON.stringify(MANIFEST),
  );
  const store = await openSettingsStore(":memory:");
  const app = createApp({
    staticDir,
    distDir,
    settings: {
      store,
      auth: await createAdminAuth({
        // The gadget step asks as https://chat.example.com (host_policy.ts).
        config: loadConfig({ DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com" })
          .admin,
        log: () => {},
      }),
      defaults: defaultSettings(),
    },
  });
  try {
    await t.step("GET /admin loads the settings bundle", async () => {
      const response = await app.request("/admin");
      assert.equal(response.status, 200);
      assert.match(response.headers.get("Content-Type") ?? "", /^text\/html/);
      assert.equal(response.headers.get("Cache-Control"), "no-cache");
      // The page's one script is the external bundle, so the strict policy
      // (routes/csp_policy.ts) holds: no inline script, framing as configured.
      const policy = response.headers.get("Content-Security-Policy") ?? "";
      assert.match(policy, /(?:^|; )script-src 'self'(?:;|$)/);
      assert.match(policy, /(?:^|; )frame-ancestors 'self'(?:;|$)/);
      const page = await response.text();
      assert.match(page, /<title>Desktop Chat Server Settings<\/title>/);
      assert.ok(
        page.includes(
          `<script type="module" src="/static/dist/desktop-chat-settings-IJKLMNOP.js"></script>`,
        ),
      );
      assert.match(
        page,
        /<desktop-chat-settings><\/desktop-chat-settings>/,
        "no api-origin: the page's own",
      );
    });

    await t.step("its stylesheet is served", async () => {
      const response = await app.request("/static/admin.css");
      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get("Content-Type"),
        "text/css; charset=utf-8",
      );
      await response.body?.cancel();
    });

    await t.step(
      "GET /gadgets/DesktopChatServerSettings.xml fills in the origin and bundle",
      async () => {
        const response = await app.request(
          "https://chat.example.com/gadgets/DesktopChatServerSettings.xml",
        );
        assert.equal(response.status, 200);
        assert.equal(
          response.headers.get("Content-Type"),
          "application/xml; charset=utf-8",
        );
        const xml = await response.text();
        assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
        assert.match(xml, /<ModulePrefs title="Desktop Chat Server Settings"/);
        assert.match(xml, /<Require feature="dynamic-height" ?\/>/);
        assert.ok(
          xml.includes(
            `<script type="module" src="https://chat.example.com/static/dist/desktop-chat-settings-IJKLMNOP.js"></script>`,
          ),
        );
        assert.ok(
          xml.includes(
            `<desktop-chat-settings api-origin="https://chat.example.com"></desktop-chat-settings>`,
          ),
        );
        assert.doesNotMatch(xml, /\{\{/);
      },
    );
  } finally {
    store.close();
    await Deno.remove(distDir, { recursive: true });
  }
});
