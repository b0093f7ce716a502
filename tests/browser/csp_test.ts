// The strict Content-Security-Policy in Chromium (issue 14, item 4): the
// header on every kind of response, the element working under it against a
// real Prosody without a single violation, an injected inline script
// blocked and its violation report received and logged by the service (by
// report-uri over http, by report-to over https behind a TLS proxy), and a
// saved change of chat servers changing the next page's connect-src.
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshot, startService } from "../support/browser.ts";
import { headlessClient } from "../support/headless_client.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import {
  chatWindow,
  openChatDesktop,
  sendMessage,
} from "../support/chat_page.ts";
import { chat, signIn } from "../support/desktop_page.ts";
import { putChatServerSettings } from "../support/chat_settings.ts";
import { startProsody, testUsers } from "../../scripts/servers/prosody.ts";

const at = (name: string) => `${name}@localhost`;
const ROSTER = {
  alice: [{
    jid: at("bob"),
    name: "Bob",
    groups: ["Agents"],
    subscription: "both" as const,
  }],
  bob: [{
    jid: at("alice"),
    name: "Alice",
    groups: ["Agents"],
    subscription: "both" as const,
  }],
};

/** The policy of a page, with report-to for one served over https. */
function policy(chatServer: string | undefined, https = false): string {
  const connect = chatServer ? `'self' ${chatServer}` : "'self'";
  return "default-src 'none'; script-src 'self'; style-src 'self'; " +
    "img-src 'self' data:; font-src 'self'; " +
    `connect-src ${connect}; object-src 'none'; base-uri 'none'; ` +
    "form-action 'self'; frame-ancestors 'self'; " +
    "require-trusted-types-for 'script'; trusted-types 'none'; " +
    "report-uri /api/csp-report" + (https ? "; report-to csp-endpoint" : "");
}

/** What Playwright's page.evaluate gets back from injecting a script. */
function injectInlineScript(page: Page): Promise<string> {
  return page.evaluate(() => {
    const script = document.createElement("script");
    try {
      // Trusted Types refuse the string before script-src is asked.
      script.textContent = "globalThis.__injected = true;";
      document.body.append(script);
      return "appended";
    } catch (error) {
      return `threw ${(error as Error).name}`;
    }
  });
}

/**
 * A TLS-terminating proxy in front of the service, as in production: a
 * self-signed certificate for 127.0.0.1 (the browser context ignores the
 * certificate error), requests relayed as they came.
 */
async function tlsProxy(
  dir: string,
  target: () => string,
): Promise<Deno.HttpServer<Deno.NetAddr>> {
  const cert = `${dir}/cert.pem`;
  const key = `${dir}/key.pem`;
  const openssl = await new Deno.Command("/usr/bin/openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-config",
      "/dev/null",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!openssl.success) {
    throw new Error(new TextDecoder().decode(openssl.stderr));
  }
  return Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: await Deno.readTextFile(cert),
    key: await Deno.readTextFile(key),
    onListen: () => {},
  }, async (request) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.delete("host");
    const response = await fetch(`${target()}${url.pathname}${url.search}`, {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
    });
    // Deno's fetch decodes a Brotli or gzip body (the bundles) itself and
    // keeps the header: relay the decoded body as such.
    const relayed = new Headers(response.headers);
    if (relayed.has("content-encoding")) {
      relayed.delete("content-encoding");
      relayed.delete("content-length");
    }
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: relayed,
    });
  });
}

declare global {
  // What the page saw: every securitypolicyviolation event, from the start.
  var __violations: string[] | undefined;
  var __injected: boolean | undefined;
}

/**
 * Records the violation events of every page of `page`'s context from
 * before any of its scripts runs; reloads `page` (opened before) and opens
 * the chat again. Returns the reloaded page's policy.
 */
async function watchViolations(page: Page): Promise<string | undefined> {
  await page.context().addInitScript(() => {
    globalThis.__violations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      globalThis.__violations?.push(
        `${event.effectiveDirective} ${event.blockedURI}`,
      );
    });
  });
  const response = await page.reload();
  await chat(page).launcher.click();
  return await response?.headerValue("Content-Security-Policy") ?? undefined;
}

/** Polls `check` until it holds; fails after `ms`. */
async function eventually(
  check: () => boolean,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function violations(page: Page): Promise<string[]> {
  return page.evaluate(() => globalThis.__violations ?? []);
}

Deno.test("the strict CSP in the browser", async (t) => {
  const prosody = await startProsody({
    users: testUsers(["alice", "bob"]),
    roster: ROSTER,
  });
  // The service logs each report with console.warn: collect those lines.
  const logged: string[] = [];
  const warn = console.warn;
  console.warn = (...data: unknown[]) => {
    const line = data.map(String).join(" ");
    if (line.startsWith("CSP ")) logged.push(line);
    else warn(...data);
  };
  const service = await startService({
    config: { xmppDomain: prosody.domain, defaultPrimary: prosody.boshUrl },
  });
  const bosh = new URL(prosody.boshUrl).origin;
  const contexts: BrowserContext[] = [];
  const dir = await Deno.makeTempDir({ prefix: "csp_test_" });
  let bobElsewhere: XmppClient | undefined;
  let browser: Browser | undefined;
  let proxy: Deno.HttpServer<Deno.NetAddr> | undefined;
  let behindProxy: Awaited<ReturnType<typeof startService>> | undefined;
  try {
    // Reports go out at once rather than in Chromium's minute-long batches.
    browser = await launchBrowser(["--short-reporting-delay"]);
    // Bob is online on another client, so Alice's composer is open.
    bobElsewhere = await headlessClient(prosody, "bob", { resource: "desk" });

    await t.step("every kind of response carries the policy", async () => {
      const page = await (await fetch(`${service.origin}/`)).text();
      const bundle = /<script type="module" src="([^"]+)"/.exec(page)?.[1];
      assert.ok(bundle, "the shell page names its bundle");
      for (
        const path of [
          "/",
          "/admin",
          "/gadgets/DesktopChat.xml",
          "/static/shell.css",
          bundle,
          "/api/chat-server-settings",
          "/no-such-page",
        ]
      ) {
        const response = await fetch(`${service.origin}${path}`);
        await response.body?.cancel();
        assert.equal(
          response.headers.get("Content-Security-Policy"),
          policy(bosh),
          path,
        );
        // Chromium takes report endpoints from https responses only.
        assert.equal(response.headers.get("Reporting-Endpoints"), null, path);
      }
    });

    const alice = await openChatDesktop(browser, service);
    contexts.push(alice.context);
    const a = chat(alice.page);
    const aw = chatWindow(alice.page);

    await t.step(
      "the element signs in, lists contacts and chats, with no violation",
      async () => {
        assert.equal(await watchViolations(alice.page), policy(bosh));
        await signIn(alice.page, "alice", "alice-pw");
        await a.contact(at("bob")).waitFor({ timeout: 20_000 });
        await a.contact(at("bob")).focus();
        await alice.page.keyboard.press("Enter");
        await aw.title.filter({ hasText: "Bob" }).waitFor();
        await sendMessage(alice.page, "Under a strict policy");
        await aw.log.locator('[data-direction="out"][data-state="sent"]')
          .or(aw.log.locator('[data-direction="out"][data-state="delivered"]'))
          .waitFor();
        // The element's CSS is adopted as constructed sheets, which the
        // policy allows; a <style> fallback would be a style-src violation.
        const styles = await alice.page.evaluate(() => {
          const root = document.querySelector("desktop-chat")?.shadowRoot;
          return {
            adopted: root?.adoptedStyleSheets.length ?? 0,
            inline: root?.querySelectorAll("style").length ?? -1,
          };
        });
        assert.ok(styles.adopted > 0, "constructed sheets adopted");
        assert.equal(styles.inline, 0);
        await screenshot(alice.page, "csp_1_chat_under_policy");
        assert.deepEqual(await violations(alice.page), []);
        assert.deepEqual(logged, [], "no report reached the service");
      },
    );

    await t.step(
      "inline script in the markup or added by script is blocked and reported",
      async () => {
        // Markup injection (stored XSS): the real page with an inline
        // script added, the service's headers kept. The parser inserts it,
        // so script-src alone is asked.
        const page = await alice.context.newPage();
        await page.route(`${service.origin}/?agent=Injected`, async (route) => {
          const response = await route.fetch();
          const body = (await response.text()).replace(
            "</body>",
            "<script>globalThis.__injected = true;</script></body>",
          );
          await route.fulfill({ response, body });
        });
        await page.goto(`${service.origin}/?agent=Injected`);
        await chat(page).launcher.waitFor();
        // DOM injection (DOM XSS): Trusted Types refuse the string first.
        assert.equal(await injectInlineScript(page), "threw TypeError");
        assert.equal(
          await page.evaluate(() => globalThis.__injected),
          undefined,
        );
        assert.deepEqual(await violations(page), [
          "script-src-elem inline",
          "require-trusted-types-for trusted-types-sink",
        ]);
        await eventually(
          () => logged.length >= 2,
          "both violation reports at the service",
        );
        assert.deepEqual(logged.toSorted(), [
          'CSP violation: directive="require-trusted-types-for" ' +
          'blocked="trusted-types-sink" page="/"',
          'CSP violation: directive="script-src-elem" blocked="inline" ' +
          'page="/"',
        ]);
        await page.close();
      },
    );

    await t.step(
      "over https, report-to takes the report through the Reporting API",
      async () => {
        let target = "";
        proxy = await tlsProxy(dir, () => target);
        const publicOrigin = `https://127.0.0.1:${proxy.addr.port}`;
        // Its own service, told it is served at the proxy's https origin.
        behindProxy = await startService({ config: { publicOrigin } });
        target = behindProxy.origin;
        const context = await browser!.newContext({ ignoreHTTPSErrors: true });
        contexts.push(context);
        const page = await context.newPage();
        const navigation = await page.goto(`${publicOrigin}/admin`);
        assert.equal(
          await navigation?.headerValue("Content-Security-Policy"),
          policy(undefined, true),
        );
        assert.equal(
          await navigation?.headerValue("Reporting-Endpoints"),
          'csp-endpoint="/api/csp-report"',
        );
        await page.getByLabel("Password").waitFor();
        logged.length = 0;
        const outcome = await injectInlineScript(page);
        assert.equal(outcome, "threw TypeError");
        await eventually(
          () => logged.length > 0,
          "the Reporting API's report at the service",
        );
        assert.deepEqual(logged, [
          'CSP violation: directive="require-trusted-types-for" ' +
          'blocked="trusted-types-sink" page="/admin"',
        ]);
      },
    );

    await t.step(
      "a saved change of chat servers changes the next page's connect-src",
      async () => {
        await putChatServerSettings(service, { primary: prosody.wsUrl });
        // The WebSocket server's origin, and its host's HTTP origin, where
        // the chat server's file upload lives.
        const wsUrl = new URL(prosody.wsUrl);
        const ws = `${wsUrl.origin} http://${wsUrl.host}`;
        const response = await fetch(`${service.origin}/admin`);
        await response.body?.cancel();
        assert.equal(
          response.headers.get("Content-Security-Policy"),
          policy(ws),
        );
        // Bob's desktop connects over WebSocket, which the old policy
        // (http: only) would have blocked.
        const bob = await openChatDesktop(browser!, service);
        contexts.push(bob.context);
        assert.equal(await watchViolations(bob.page), policy(ws));
        await signIn(bob.page, "bob", "bob-pw");
        await chat(bob.page).contact(at("alice")).waitFor({ timeout: 20_000 });
        assert.deepEqual(await violations(bob.page), []);
      },
    );
  } finally {
    console.warn = warn;
    await behindProxy?.stop();
    await proxy?.shutdown();
    await Deno.remove(dir, { recursive: true });
    await bobElsewhere?.stop();
    for (const context of contexts) await context.close();
    await browser?.close();
    await service.stop();
    await prosody.stop();
  }
});
