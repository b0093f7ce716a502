// The Host header is the client's text: through the whole app, it never
// reaches a served document, and it never makes a foreign page same-origin.
// The admin cookie is Secure where configured, even over plain http.
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Hono } from "hono";
import { defaultSettings } from "../shared/settings/settings_schema.ts";
import { createAdminAuth, hashPassword } from "./admin_auth.ts";
import { createApp } from "./app.ts";
import { adminAuthConfigOf, type Env, loadConfig } from "./config.ts";
import { MIN_ITERATIONS } from "./password_hash.ts";
import { openSettingsStore } from "./settings_store.ts";

const PASSWORD = "correct horse battery staple";
const HASH = await hashPassword(PASSWORD, { iterations: MIN_ITERATIONS });
const EVIL = "http://evil.example:8000";
const MANIFEST = {
  "desktop-chat.js": "desktop-chat-ABCDEFGH.js",
  "desktop-chat-settings.js": "desktop-chat-settings-IJKLMNOP.js",
};

async function withApp(
  env: Env,
  body: (app: Hono) => Promise<void>,
): Promise<void> {
  const distDir = await Deno.makeTempDir({ prefix: "origin_trust_dist_" });
  await Deno.writeTextFile(
    join(distDir, "manifest.json"),
    JSON.stringify(MANIFEST),
  );
  for (const file of Object.values(MANIFEST)) {
    await Deno.writeTextFile(join(distDir, file), "export {};\n");
  }
  const config = {
    ...loadConfig({ DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH, ...env }),
    distDir,
  };
  const store = await openSettingsStore(":memory:");
  const auth = await createAdminAuth({
    config: adminAuthConfigOf(config),
    log: () => {},
    sleep: () => Promise.resolve(),
  });
  const app = createApp({
    ...config,
    cspReportLog: () => {},
    settings: { store, auth, defaults: defaultSettings() },
  });
  try {
    await body(app);
  } finally {
    store.close();
    await Deno.remove(distDir, { recursive: true });
  }
}

function login(app: Hono, url: string, origin: string): Promise<Response> {
  return Promise.resolve(app.request(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: origin },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  }));
}

/** Status, headers and body as one text, to search for the foreign host. */
async function served(response: Response): Promise<string> {
  const headers = [...response.headers].map(([name, value]) =>
    `${name}: ${value}`
  );
  return [String(response.status), ...headers, await response.text()].join(
    "\n",
  );
}

const GETS = [
  "/",
  "/admin",
  "/healthz",
  "/gadgets/DesktopChat.xml",
  "/gadgets/DesktopChatServerSettings.xml",
  "/gadgets/Missing.xml",
  "/api/chat-server-settings",
  "/api/admin/session",
  `/static/dist/${MANIFEST["desktop-chat.js"]}`,
  "/static/shell.css",
  "/static/nothing.css",
  "/no/such/page",
];

Deno.test("Host: evil.example:8000 never appears in a served document", async (t) => {
  for (
    const [name, env] of [
      ["production without a public origin", {}],
      ["production with a public origin", {
        DESKTOP_CHAT_PUBLIC_ORIGIN: "https://chat.example.com",
      }],
      ["dev mode", { DESKTOP_CHAT_DEV: "1" }],
    ] as const
  ) {
    await t.step(name, async () => {
      await withApp(env, async (app) => {
        for (const path of GETS) {
          const text = await served(await app.request(`${EVIL}${path}`));
          assert.doesNotMatch(text, /evil/, `${path}:\n${text}`);
        }
        for (const origin of [EVIL, "https://chat.example.com"]) {
          const text = await served(
            await login(app, `${EVIL}/api/admin/login`, origin),
          );
          assert.doesNotMatch(text, /evil/, text);
        }
      });
    });
  }
});

Deno.test("the gadget XML names only a trusted origin", async (t) => {
  await t.step(
    "production without a public origin: 421 naming the settings",
    async () => {
      await withApp({}, async (app) => {
        for (
          const url of [
            `${EVIL}/gadgets/DesktopChat.xml`,
            "http://localhost:8000/gadgets/DesktopChat.xml",
          ]
        ) {
          const response = await app.request(url);
          assert.equal(response.status, 421);
          assert.match(
            (await response.json()).error,
            /Set DESKTOP_CHAT_PUBLIC_ORIGIN to the address browsers use .* or list this host in DESKTOP_CHAT_ALLOWED_HOSTS\./,
          );
        }
      });
    },
  );
  await t.step("the public origin, whatever the Host", async () => {
    await withApp(
      { DESKTOP_CHAT_PUBLIC_ORIGIN: "https://chat.example.com" },
      async (app) => {
        const xml = await (await app.request(`${EVIL}/gadgets/DesktopChat.xml`))
          .text();
        assert.ok(
          xml.includes(
            `src="https://chat.example.com/static/dist/${
              MANIFEST["desktop-chat.js"]
            }"`,
          ),
          xml,
        );
      },
    );
  });
  await t.step("an allowed host, on any port or the one listed", async () => {
    await withApp(
      { DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com, chat.internal:8000" },
      async (app) => {
        for (
          const origin of [
            "https://chat.example.com",
            "http://chat.example.com:8080",
            "http://chat.internal:8000",
          ]
        ) {
          const xml = await (await app.request(
            `${origin}/gadgets/DesktopChat.xml`,
          )).text();
          assert.ok(xml.includes(`src="${origin}/static/dist/`), xml);
        }
        const otherPort = await app.request(
          "http://chat.internal:9000/gadgets/DesktopChat.xml",
        );
        assert.equal(otherPort.status, 421);
        await otherPort.body?.cancel();
      },
    );
  });
  await t.step("dev mode: loopback names, nothing else", async () => {
    await withApp({ DESKTOP_CHAT_DEV: "1" }, async (app) => {
      for (
        const origin of [
          "http://localhost:8000",
          "http://127.0.0.1:8000",
          "http://[::1]:8000",
        ]
      ) {
        const xml = await (await app.request(
          `${origin}/gadgets/DesktopChat.xml`,
        )).text();
        assert.ok(xml.includes(`src="${origin}/static/dist/`), xml);
      }
      const foreign = await app.request(`${EVIL}/gadgets/DesktopChat.xml`);
      assert.equal(foreign.status, 421);
      await foreign.body?.cancel();
    });
  });
});

Deno.test("a forged Host does not make a page same-origin", async (t) => {
  await withApp(
    { DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com" },
    async (app) => {
      await t.step(
        "a rebinding page (its name as Host and Origin) → 421, no session",
        async () => {
          const response = await login(
            app,
            `${EVIL}/api/admin/login`,
            EVIL,
          );
          assert.equal(response.status, 421);
          assert.equal(response.headers.get("Set-Cookie"), null);
          await response.body?.cancel();
        },
      );
      await t.step("another page's Origin → 403", async () => {
        const response = await login(
          app,
          `${EVIL}/api/admin/login`,
          "https://chat.example.com",
        );
        assert.equal(response.status, 403);
        await response.body?.cancel();
      });
      await t.step("the allowed host's own page → 204", async () => {
        const response = await login(
          app,
          "https://chat.example.com/api/admin/login",
          "https://chat.example.com",
        );
        assert.equal(response.status, 204);
      });
    },
  );
});

Deno.test("the admin cookie is Secure where configured, even over http", async (t) => {
  for (
    const [name, env] of [
      ["an https public origin (TLS ends at a proxy)", {
        DESKTOP_CHAT_PUBLIC_ORIGIN: "https://chat.example.com",
      }],
      ["DESKTOP_CHAT_SECURE_COOKIE=on", {
        DESKTOP_CHAT_SECURE_COOKIE: "on",
        DESKTOP_CHAT_ADMIN_ORIGINS: "https://chat.example.com",
      }],
    ] as const
  ) {
    await t.step(name, async () => {
      await withApp(env, async (app) => {
        // The proxy speaks plain http to the service.
        const response = await login(
          app,
          "http://chat.example.com/api/admin/login",
          "https://chat.example.com",
        );
        assert.equal(response.status, 204);
        const cookie = response.headers.get("Set-Cookie") ?? "";
        assert.match(cookie, /^__Host-desktop_chat_admin=[\w-]{43};/);
        assert.match(cookie, /; Secure/);
        assert.match(cookie, /; Path=\//);
        assert.doesNotMatch(cookie, /Domain=/i, "host-only");
        const session = await app.request(
          "http://chat.example.com/api/admin/session",
          { headers: { Cookie: cookie.split(";")[0] } },
        );
        assert.equal(session.status, 200);
        await session.body?.cancel();
      });
    });
  }
  await t.step("DESKTOP_CHAT_SECURE_COOKIE=off, even over https", async () => {
    await withApp({
      DESKTOP_CHAT_SECURE_COOKIE: "off",
      DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com",
    }, async (app) => {
      const response = await login(
        app,
        "https://chat.example.com/api/admin/login",
        "https://chat.example.com",
      );
      const cookie = response.headers.get("Set-Cookie") ?? "";
      assert.match(cookie, /^desktop_chat_admin=/);
      assert.doesNotMatch(cookie, /Secure/);
    });
  });
});
