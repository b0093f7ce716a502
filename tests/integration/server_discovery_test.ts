// Chat-server discovery against two real chat servers of one kind (Prosody,
// then ejabberd) and the real settings API (issue "Desktop Chat Server
// Settings", item 5; issue 12): both serve `localhost` with the same user,
// as two IM&P nodes of one cluster do.
// Every BOSH request is counted per URL, so "straight to the cached node"
// and "never the secondary" are checked on the wire, not on our own report.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { createAdminAuth } from "../../routes/admin_auth.ts";
import { loadAdminAuthConfig } from "../../routes/admin_auth_config.ts";
import { CHAT_SERVER_SETTINGS_PATH } from "../../routes/paths.ts";
import { settingsRoutes } from "../../routes/settings_api.ts";
import { openSettingsStore } from "../../routes/settings_store.ts";
import {
  fetchChatServerSettings,
  SettingsFetchError,
} from "../../shared/settings/settings_client.ts";
import {
  type ChatServerSettings,
  defaultSettings,
} from "../../shared/settings/settings_schema.ts";
import type { BoshOptions } from "../../shared/xmpp/transport/bosh_transport.ts";
import { AuthError } from "../../shared/xmpp/core/errors.ts";
import { NodesUnreachableError } from "../../shared/xmpp/discovery/discovery_policy.ts";
import { failureText } from "../../islands/desktop_chat/sign_in_messages.ts";
import {
  bareJid,
  nodeCacheKey,
} from "../../shared/xmpp/discovery/node_cache.ts";
import {
  type SignedIn,
  signInWithDiscovery,
} from "../../shared/xmpp/discovery/server_discovery.ts";
import type { XmppClient } from "../../shared/xmpp/session/client.ts";
import { SERVER_KINDS, startServer } from "../support/xmpp_servers.ts";

const USER = { username: "discovery-agent", password: "discovery-pw" };
const DOMAIN = "localhost";
const CACHE_KEY = nodeCacheKey(bareJid(USER.username, DOMAIN));

/** BOSH requests per URL since the last reset. */
const requests = new Map<string, number>();
const realFetch = globalThis.fetch.bind(globalThis);
const countingFetch = ((input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  requests.set(url, (requests.get(url) ?? 0) + 1);
  return realFetch(input, init);
}) as typeof fetch;

/** The settings service as desktops reach it, on a real port. */
async function startSettingsService() {
  const store = await openSettingsStore(":memory:");
  const auth = await createAdminAuth({
    config: loadAdminAuthConfig({}),
    log: () => {},
  });
  const app = new Hono();
  app.route("/", settingsRoutes({ store, auth, defaults: defaultSettings() }));
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    app.fetch,
  );
  let version: string | null = null;
  return {
    url: `http://127.0.0.1:${server.addr.port}${CHAT_SERVER_SETTINGS_PATH}`,
    /** An administrator's save: a new version even for the same servers. */
    async save(servers: Pick<ChatServerSettings, "primary" | "secondary">) {
      const result = await store.put(
        { ...defaultSettings(), ...servers },
        version,
      );
      assert.ok(result.ok, "settings saved");
      version = result.version;
    },
    async stop() {
      await server.shutdown();
      store.close();
    },
  };
}

/** A BOSH endpoint that sends every session elsewhere (XEP-0124 §17.2). */
function startRedirector(target: string) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      await request.body?.cancel();
      return new Response(
        `<body xmlns='http://jabber.org/protocol/httpbind' type='terminate' condition='see-other-uri'><uri>${target}</uri></body>`,
        { headers: { "Content-Type": "text/xml; charset=utf-8" } },
      );
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/http-bind`,
    stop: () => server.shutdown(),
  };
}

/**
 * A WebSocket endpoint that opens the stream, then sends the client to
 * `host` with a see-other-host stream error (RFC 6120 §4.9.3.19, framed as
 * RFC 7395 §3.6 has it).
 */
function startHostRedirector(host: string) {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => {
      const { socket, response } = Deno.upgradeWebSocket(request, {
        protocol: "xmpp",
      });
      socket.onmessage = () => {
        socket.send(
          "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='localhost' id='r1' version='1.0'/>",
        );
        socket.send(
          "<stream:error xmlns:stream='http://etherx.jabber.org/streams'>" +
            `<see-other-host xmlns='urn:ietf:params:xml:ns:xmpp-streams'>${host}</see-other-host>` +
            "</stream:error>",
        );
        socket.send("<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>");
        socket.close();
      };
      return response;
    },
  );
  return {
    url: `ws://127.0.0.1:${server.addr.port}/xmpp-websocket`,
    stop: () => server.shutdown(),
  };
}

/**
 * A BOSH endpoint in front of `target`: once frozen, it holds the next
 * request unanswered, as ejabberd held requests that reached it out of rid
 * order (issue 12), until the client gives up on it; every other request
 * is forwarded.
 */
function startFreezingProxy(target: string) {
  let freeze = false;
  let held = 0;
  const releases = new Set<() => void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      if (freeze) {
        freeze = false;
        held++;
        // Held until stop(): the client must give up on it by itself.
        await new Promise<void>((resolve) => releases.add(resolve));
        return new Response(null, { status: 504 });
      }
      return await realFetch(target, {
        method: request.method,
        headers: { "Content-Type": "text/xml; charset=utf-8" },
        body: await request.text(),
      });
    },
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}/http-bind`,
    freezeNext: () => (freeze = true),
    held: () => held,
    async stop() {
      for (const release of releases) release();
      await server.shutdown();
    },
  };
}

function cachedNode(): { service: string; settingsVersion: string } | null {
  const raw = localStorage.getItem(CACHE_KEY);
  return raw === null ? null : JSON.parse(raw);
}

for (const kind of SERVER_KINDS) {
  Deno.test(`chat-server discovery on two ${kind} nodes`, async (t) => {
    const [primary, secondary] = await Promise.all([
      startServer(kind, { users: [USER] }),
      startServer(kind, { users: [USER] }),
    ]);
    const settingsService = await startSettingsService();
    // A refused connection fails after one quick retry instead of the
    // production backoff (≈4 s), so failing over takes milliseconds.
    const bosh: BoshOptions = {
      fetch: countingFetch,
      maxRetries: 1,
      retryDelay: () => 10,
    };
    localStorage.removeItem(CACHE_KEY);

    const P = primary.boshUrl;
    const S = secondary.boshUrl;

    /** Loads the settings as the desktop does, signs in, signs out. */
    async function signIn(
      password = USER.password,
      attemptTimeoutMs?: number,
    ) {
      const fetched = await fetchChatServerSettings(settingsService.url);
      if (fetched instanceof SettingsFetchError) throw fetched;
      assert.ok(fetched.etag, "the settings API sends an ETag");
      requests.clear();
      const started = performance.now();
      let result: SignedIn<XmppClient>;
      try {
        result = await signInWithDiscovery({
          settings: fetched.settings,
          settingsVersion: fetched.etag,
          username: USER.username,
          password,
          domain: DOMAIN,
          storage: localStorage,
          bosh,
          attemptTimeoutMs,
        });
      } catch (error) {
        return {
          error: error as unknown,
          etag: fetched.etag,
          ms: performance.now() - started,
        };
      }
      const ms = performance.now() - started;
      result.client.on("error", (error: unknown) => {
        throw error;
      });
      assert.equal(result.client.status, "online");
      assert.equal(
        result.client.jid?.bare().toString(),
        `${USER.username}@${DOMAIN}`,
      );
      await result.client.stop();
      return { result, etag: fetched.etag, ms };
    }

    function hits(url: string): number {
      return requests.get(url) ?? 0;
    }

    try {
      await settingsService.save({ primary: P, secondary: S });

      await t.step(
        "primary down: first sign-in lands on the secondary",
        async () => {
          await primary.kill();
          const { result, etag, ms } = await signIn();
          assert.ok(result, "signed in");
          assert.equal(result.service, S);
          assert.equal(result.source, "secondary");
          assert.deepEqual(
            result.attempts.map((a) => [a.service, a.error?.condition]),
            [[P, "unreachable"], [S, undefined]],
          );
          assert.ok(hits(P) > 0, "the primary was tried first");
          assert.deepEqual(cachedNode(), {
            format: 1,
            service: S,
            settingsVersion: etag,
          });
          assert.ok(ms < 1500, `failing over took ${ms.toFixed(0)} ms`);
        },
      );

      await t.step(
        "next sign-in goes straight to the cached node",
        async () => {
          await primary.restart();
          const { result } = await signIn();
          assert.ok(result, "signed in");
          assert.equal(result.service, S);
          assert.equal(result.source, "cache");
          assert.equal(hits(P), 0, "no request reached the primary");
          assert.ok(hits(S) > 0);
        },
      );

      await t.step(
        "a settings change sends the sign-in to the primary first",
        async () => {
          await settingsService.save({ primary: P, secondary: S });
          const { result, etag } = await signIn();
          assert.ok(result, "signed in");
          assert.equal(result.cache.lookup, "stale");
          assert.equal(result.service, P);
          assert.equal(result.source, "primary");
          assert.equal(hits(S), 0, "no request reached the secondary");
          assert.deepEqual(cachedNode(), {
            format: 1,
            service: P,
            settingsVersion: etag,
          });
        },
      );

      await t.step("cached node dead: discovery runs again", async () => {
        await primary.kill();
        const { result, etag } = await signIn();
        assert.ok(result, "signed in");
        // The whole discovery, the cached node (here the primary) included.
        assert.deepEqual(
          result.attempts.map((a) => [a.service, a.source, a.outage]),
          [
            [P, "cache", "refused"],
            [P, "primary", "refused"],
            [S, "secondary", undefined],
          ],
        );
        assert.equal(cachedNode()?.service, S);
        assert.equal(cachedNode()?.settingsVersion, etag);
      });

      await t.step(
        "cached node frozen, primary down: the secondary is reached",
        async () => {
          // Issue 12: the cached node timed out, the primary was down, and
          // the secondary (the cached node) was never asked again.
          const proxy = startFreezingProxy(S);
          try {
            await settingsService.save({ primary: P, secondary: proxy.url });
            const first = await signIn();
            assert.ok(first.result, `signed in: ${first.error}`);
            assert.equal(cachedNode()?.service, proxy.url);

            proxy.freezeNext();
            const { result, error, ms } = await signIn(USER.password, 1_500);
            assert.ok(result, `signed in: ${error}`);
            assert.equal(proxy.held(), 1, "the cached node froze");
            assert.equal(result.service, proxy.url);
            assert.deepEqual(
              result.attempts.map((a) => [a.service, a.source, a.outage]),
              [
                [proxy.url, "cache", "timed-out"],
                [P, "primary", "refused"],
                [proxy.url, "secondary", undefined],
              ],
            );
            // The frozen attempt is abandoned at once, not waited out.
            assert.ok(ms < 1_500 + 1_500, `took ${ms.toFixed(0)} ms`);
          } finally {
            await proxy.stop();
            await settingsService.save({ primary: P, secondary: S });
          }
        },
      );

      await t.step(
        "both nodes down: the agent reads which refused and which timed out",
        async () => {
          const proxy = startFreezingProxy(S);
          try {
            await settingsService.save({ primary: P, secondary: proxy.url });
            localStorage.removeItem(CACHE_KEY);
            proxy.freezeNext();
            const { error } = await signIn(USER.password, 1_000);
            assert.ok(error instanceof NodesUnreachableError, String(error));
            assert.deepEqual(error.nodes, [
              { service: P, outage: "refused" },
              { service: proxy.url, outage: "timed-out" },
            ]);
            const text = failureText({ kind: "unreachable", error });
            assert.equal(
              text.title,
              "None of the chat servers can be reached.",
            );
            assert.match(text.detail, /refused the connection/);
            assert.match(text.detail, /did not answer in time/);
          } finally {
            await proxy.stop();
            await settingsService.save({ primary: P, secondary: S });
          }
        },
      );

      await t.step(
        "wrong password on the primary never tries the secondary",
        async () => {
          await primary.restart();
          localStorage.removeItem(CACHE_KEY);
          const { error } = await signIn("not-the-password");
          assert.ok(error instanceof AuthError, String(error));
          assert.equal(error.condition, "not-authorized");
          assert.ok(hits(P) > 0);
          assert.equal(hits(S), 0, "no request reached the secondary");
          assert.equal(cachedNode(), null, "nothing remembered");
        },
      );

      await t.step(
        "see-other-uri leads to the node that serves the user",
        async () => {
          const redirector = startRedirector(S);
          try {
            await settingsService.save({
              primary: redirector.url,
              secondary: P,
            });
            const { result, error } = await signIn();
            assert.ok(result, `signed in: ${error}`);
            assert.equal(result.service, S);
            assert.equal(result.source, "primary");
            assert.deepEqual(result.redirects, [S]);
            assert.equal(hits(redirector.url), 1);
            assert.equal(hits(P), 0, "the secondary is not asked");
            assert.equal(cachedNode()?.service, S);
          } finally {
            await redirector.stop();
          }
        },
      );

      await t.step("WebSocket: a refused primary also fails over", async () => {
        await settingsService.save({
          primary: primary.wsUrl,
          secondary: secondary.wsUrl,
        });
        await primary.kill();
        const { result, error, ms } = await signIn();
        assert.ok(result, `signed in: ${error}`);
        assert.equal(result.service, secondary.wsUrl);
        assert.deepEqual(
          result.attempts.map((a) => [a.service, a.error?.condition]),
          [[primary.wsUrl, "unreachable"], [secondary.wsUrl, undefined]],
        );
        assert.equal(cachedNode()?.service, secondary.wsUrl);
        assert.ok(ms < 1500, `failing over took ${ms.toFixed(0)} ms`);
      });

      await t.step("see-other-host keeps the WebSocket path", async () => {
        const redirector = startHostRedirector(
          `127.0.0.1:${secondary.httpPort}`,
        );
        try {
          await settingsService.save({
            primary: redirector.url,
            secondary: "",
          });
          const { result, error } = await signIn();
          assert.ok(result, `signed in: ${error}`);
          assert.equal(result.service, secondary.wsUrl);
          assert.deepEqual(result.redirects, [secondary.wsUrl]);
          assert.deepEqual(
            result.attempts.map((a) => [a.source, a.error?.condition]),
            [["primary", "see-other-host"], ["redirect", undefined]],
          );
          assert.equal(cachedNode()?.service, secondary.wsUrl);
        } finally {
          await redirector.stop();
        }
      });
    } finally {
      localStorage.removeItem(CACHE_KEY);
      await settingsService.stop();
      await Promise.all([primary.stop(), secondary.stop()]);
    }
  });
}
