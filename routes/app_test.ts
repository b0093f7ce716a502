import assert from "node:assert/strict";
import { join } from "node:path";
import { defaultSettings } from "../shared/settings/settings_schema.ts";
import { createAdminAuth } from "./admin_auth.ts";
import { type AppOptions, createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { openSettingsStore } from "./settings_store.ts";
import { CSP_REPORT_PATH } from "./csp_report_route.ts";

const { staticDir } = loadConfig({});
const BUNDLE = "desktop-chat-ABCDEFGH.js";

async function makeDistDir(): Promise<string> {
  const distDir = await Deno.makeTempDir({ prefix: "desktop_chat_dist_" });
  await Deno.writeTextFile(
    join(distDir, "manifest.json"),
    JSON.stringify({ "desktop-chat.js": BUNDLE }),
  );
  await Deno.writeTextFile(join(distDir, BUNDLE), "export {};\n");
  return distDir;
}

/**
 * The policy of csp_policy.ts, written out so a change to it shows here;
 * `https`: a page served over https, which also names the report-to endpoint.
 */
function strictPolicy(
  { frameAncestors = "'self'", connect = "'self'", https = false } = {},
): string {
  return "default-src 'none'; script-src 'self'; style-src 'self'; " +
    "img-src 'self' data:; font-src 'self'; " +
    `connect-src ${connect}; object-src 'none'; base-uri 'none'; ` +
    `form-action 'self'; frame-ancestors ${frameAncestors}; ` +
    "require-trusted-types-for 'script'; trusted-types 'none'; " +
    "report-uri /api/csp-report" + (https ? "; report-to csp-endpoint" : "");
}

function assertSecureHeaders(
  response: Response,
  frameAncestors = "'self'",
): void {
  assert.equal(
    response.headers.get("Content-Security-Policy"),
    strictPolicy({ frameAncestors }),
  );
  assert.equal(
    response.headers.get("Reporting-Endpoints"),
    null,
    "Chromium takes report endpoints from https responses only",
  );
  assert.equal(response.headers.get("X-Content-Type-Options"), "nosniff");
  assert.equal(response.headers.get("Referrer-Policy"), "no-referrer");
  assert.equal(
    response.headers.get("X-Frame-Options"),
    null,
    "frame-ancestors alone decides who may frame us",
  );
}

Deno.test("createApp", async (t) => {
  const distDir = await makeDistDir();
  const store = await openSettingsStore(":memory:");
  const settings: AppOptions["settings"] = {
    store,
    auth: await createAdminAuth({
      // The gadget steps ask as https://chat.example.com (host_policy.ts).
      config: loadConfig({ DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com" })
        .admin,
      log: () => {},
    }),
    defaults: defaultSettings(),
  };
  const app = createApp({ staticDir, distDir, settings });
  try {
    await t.step("GET /healthz answers ok as JSON", async () => {
      const response = await app.request("/healthz");
      assert.equal(response.status, 200);
      assert.match(
        response.headers.get("Content-Type") ?? "",
        /^application\/json/,
      );
      assert.deepEqual(await response.json(), { status: "ok" });
      assertSecureHeaders(response);
    });

    await t.step(
      "GET / is the shell page loading the hashed bundle",
      async () => {
        const response = await app.request("/");
        assert.equal(response.status, 200);
        assert.match(response.headers.get("Content-Type") ?? "", /^text\/html/);
        assert.equal(response.headers.get("Cache-Control"), "no-cache");
        const page = await response.text();
        assert.match(
          page,
          new RegExp(
            `<script type="module" src="/static/dist/${BUNDLE}"></script>`,
          ),
        );
        assert.match(
          page,
          /<desktop-chat\s+settings-url="\/api\/chat-server-settings"\s+domain=""\s*><\/desktop-chat>/,
        );
        assert.match(page, /aria-label="Voice state"/);
        assert.match(page, /class="shell-agent">Agent</);
        assert.match(page, />Ready</);
        assertSecureHeaders(response);
      },
    );

    await t.step(
      "the shell page names the agent (escaped) and passes the XMPP domain",
      async () => {
        const withDomain = createApp({
          staticDir,
          distDir,
          settings,
          xmppDomain: "example.com",
        });
        const page = await (await withDomain.request(
          "/?agent=%3Cb%3EAlice%3C%2Fb%3E",
        )).text();
        assert.match(page, /domain="example\.com"/);
        assert.match(page, /class="shell-agent">&lt;b&gt;Alice&lt;\/b&gt;</);
      },
    );

    await t.step(
      "hashed bundles are immutable, other files revalidate",
      async () => {
        const hashed = await app.request(`/static/dist/${BUNDLE}`);
        assert.equal(hashed.status, 200);
        assert.equal(
          hashed.headers.get("Cache-Control"),
          "public, max-age=31536000, immutable",
        );
        assert.equal(
          hashed.headers.get("Content-Type"),
          "text/javascript; charset=utf-8",
        );
        assert.equal(await hashed.text(), "export {};\n");
        assertSecureHeaders(hashed);

        for (
          const path of ["/static/dist/manifest.json", "/static/shell.css"]
        ) {
          const response = await app.request(path);
          assert.equal(response.status, 200, path);
          assert.equal(response.headers.get("Cache-Control"), "no-cache", path);
          assert.match(
            response.headers.get("ETag") ?? "",
            /^"[0-9a-f]{32}"$/,
            path,
          );
          assert.ok(response.headers.get("Last-Modified"), path);
          await response.body?.cancel();
        }
      },
    );

    await t.step(
      "static files may be loaded cross-origin, pages may not",
      async () => {
        const asset = await app.request(`/static/dist/${BUNDLE}`, {
          headers: { Origin: "https://finesse.example.com" },
        });
        assert.equal(asset.headers.get("Access-Control-Allow-Origin"), "*");
        assert.equal(
          asset.headers.get("Cross-Origin-Resource-Policy"),
          "cross-origin",
        );
        await asset.body?.cancel();
        const page = await app.request("/");
        assert.equal(
          page.headers.get("Cross-Origin-Resource-Policy"),
          "same-origin",
        );
        assert.equal(page.headers.get("Access-Control-Allow-Origin"), null);
        await page.body?.cancel();
      },
    );

    await t.step(
      "GET /gadgets/DesktopChat.xml fills in the origin and the hashed bundle",
      async () => {
        const response = await app.request(
          "https://chat.example.com/gadgets/DesktopChat.xml",
        );
        assert.equal(response.status, 200);
        assert.equal(
          response.headers.get("Content-Type"),
          "application/xml; charset=utf-8",
        );
        assert.equal(response.headers.get("Cache-Control"), "no-cache");
        const xml = await response.text();
        assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>/);
        assert.match(xml, /<ModulePrefs title="Desktop Chat"/);
        assert.match(xml, /<Require feature="dynamic-height" ?\/>/);
        assert.match(xml, /<Content type="html">\s*<!\[CDATA\[/);
        assert.ok(
          xml.includes(
            `<script type="module" src="https://chat.example.com/static/dist/${BUNDLE}"></script>`,
          ),
        );
        assert.ok(
          xml.includes(
            `<desktop-chat layout="inline" domain="" settings-url="https://chat.example.com/api/chat-server-settings">`,
          ),
        );
        assert.match(xml, /typeof gadgetWindow\.adjustHeight !== "function"/);
        assert.doesNotMatch(xml, /\{\{/);
      },
    );

    await t.step(
      "the gadget XML uses the configured public origin over the request's",
      async () => {
        const behindProxy = createApp({
          staticDir,
          distDir,
          settings,
          publicOrigin: "https://chat.example.com",
        });
        const xml = await (await behindProxy.request(
          "http://10.0.0.7:8000/gadgets/DesktopChat.xml",
        )).text();
        assert.ok(
          xml.includes(`src="https://chat.example.com/static/dist/${BUNDLE}"`),
        );
        assert.doesNotMatch(xml, /10\.0\.0\.7/);
      },
    );

    await t.step(
      "any origin may read the settings, none may preflight a write",
      async () => {
        const read = await app.request("/api/chat-server-settings", {
          headers: { Origin: "https://finesse.example.com:8445" },
        });
        assert.equal(read.status, 200);
        assert.equal(read.headers.get("Access-Control-Allow-Origin"), "*");
        assert.match(
          read.headers.get("Access-Control-Expose-Headers") ?? "",
          /ETag/i,
        );
        await read.body?.cancel();
        const preflight = await app.request("/api/chat-server-settings", {
          method: "OPTIONS",
          headers: {
            Origin: "https://evil.example",
            "Access-Control-Request-Method": "PUT",
          },
        });
        assert.doesNotMatch(
          preflight.headers.get("Access-Control-Allow-Methods") ?? "",
          /PUT/,
        );
        await preflight.body?.cancel();
      },
    );

    await t.step(
      "unknown routes, gadgets and files answer 404 JSON",
      async () => {
        for (
          const path of [
            "/nope",
            "/gadgets/Missing.xml",
            "/gadgets/../main.ts",
            "/static/missing.css",
            "/static/dist/desktop-chat-ZZZZZZZZ.js",
            // Templates are served filled in, never raw.
            "/static/gadgets/DesktopChat.xml",
          ]
        ) {
          const response = await app.request(path);
          assert.equal(response.status, 404, path);
          assert.deepEqual(await response.json(), { error: "not found" }, path);
          assertSecureHeaders(response);
        }
      },
    );

    await t.step("frame-ancestors comes from the configuration", async () => {
      const config = loadConfig({
        DESKTOP_CHAT_FRAME_ANCESTORS: "'self' https://finesse.example.com:8445",
      });
      const embeddable = createApp({ ...config, staticDir, distDir, settings });
      for (const path of ["/", "/healthz", "/nope"]) {
        const response = await embeddable.request(path);
        assertSecureHeaders(
          response,
          "'self' https://finesse.example.com:8445",
        );
        await response.body?.cancel();
      }
    });

    await t.step(
      "an https page, or any behind an https public origin, names report-to",
      async () => {
        const proxied = createApp({
          staticDir,
          distDir,
          settings,
          publicOrigin: "https://chat.example.com",
        });
        for (
          const [served, url] of [
            [app, "https://chat.example.com/"],
            [proxied, "http://10.0.0.7:8000/"],
          ] as const
        ) {
          const response = await served.request(url);
          assert.equal(
            response.headers.get("Content-Security-Policy"),
            strictPolicy({ https: true }),
            url,
          );
          assert.equal(
            response.headers.get("Reporting-Endpoints"),
            'csp-endpoint="/api/csp-report"',
          );
          await response.body?.cancel();
        }
      },
    );

    await t.step(
      "violation reports are taken from any origin and logged in one line",
      async () => {
        const logged: string[] = [];
        const reporting = createApp({
          staticDir,
          distDir,
          settings,
          cspReportLog: (line) => logged.push(line),
        });
        const report = JSON.stringify({
          "csp-report": {
            "document-uri": "http://localhost/admin?token=secret",
            "effective-directive": "script-src-elem",
            "blocked-uri": "inline",
          },
        });
        // Same origin, the public origin behind a proxy, no Origin at all
        // (report-uri pings), another site: none is refused, since a report
        // is anonymous and changes nothing but the log.
        for (
          const origin of [
            "http://localhost",
            "https://chat.example.com",
            undefined,
            "https://finesse.example.com:8445",
          ]
        ) {
          const response = await reporting.request(
            `http://localhost${CSP_REPORT_PATH}`,
            {
              method: "POST",
              headers: {
                "Content-Type": "application/csp-report",
                "Sec-Fetch-Site": origin === "http://localhost"
                  ? "same-origin"
                  : "cross-site",
                ...(origin ? { Origin: origin } : {}),
              },
              body: report,
            },
          );
          assert.equal(response.status, 204, String(origin));
          assertSecureHeaders(response);
          assert.equal(await response.text(), "");
        }
        assert.deepEqual(
          logged,
          Array(4).fill(
            'CSP violation: directive="script-src-elem" blocked="inline" page="/admin"',
          ),
        );
      },
    );

    await t.step(
      "a missing manifest answers 503 JSON, with secure headers",
      async () => {
        const emptyDist = await Deno.makeTempDir({
          prefix: "desktop_chat_empty_dist_",
        });
        const logged: unknown[][] = [];
        const consoleError = console.error;
        console.error = (...data: unknown[]) => logged.push(data);
        try {
          const unbuilt = createApp({
            staticDir,
            distDir: emptyDist,
            settings,
          });
          for (const path of ["/", "/gadgets/DesktopChat.xml"]) {
            const response = await unbuilt.request(path);
            assert.equal(response.status, 503, path);
            assert.deepEqual(await response.json(), {
              error: "the chat bundles are not built",
            });
            assertSecureHeaders(response);
          }
        } finally {
          console.error = consoleError;
          await Deno.remove(emptyDist, { recursive: true });
        }
        assert.equal(logged.length, 2, "the cause is logged for the operator");
      },
    );

    await t.step(
      "connect-src names the stored chat servers and the extra sources",
      async () => {
        const saved = await store.put({
          ...defaultSettings(),
          primary: "https://imp1.example.com:7443/http-bind",
          secondary: "wss://imp2.example.com/ws",
        }, null);
        assert.ok(saved.ok);
        // A new app: the first one may still hold the previous policy for
        // its short reuse time (a write through it would renew it at once,
        // see csp_header_test.ts).
        const configured = createApp({
          staticDir,
          distDir,
          settings,
          cspConnectSrc: ["wss://*.imp.example.com:7443"],
        });
        for (
          const path of ["/", "/api/chat-server-settings", "/static/shell.css"]
        ) {
          const response = await configured.request(path);
          assert.equal(
            response.headers.get("Content-Security-Policy"),
            strictPolicy({
              connect: "'self' https://imp1.example.com:7443 " +
                "wss://imp2.example.com https://imp2.example.com " +
                "wss://*.imp.example.com:7443",
            }),
            path,
          );
          await response.body?.cancel();
        }
      },
    );
  } finally {
    store.close();
    await Deno.remove(distDir, { recursive: true });
  }
});
