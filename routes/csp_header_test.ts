import assert from "node:assert/strict";
import { Hono } from "hono";
import { defaultSettings } from "../shared/settings/settings_schema.ts";
import type { ChatServerSettings } from "../shared/settings/settings_rules.ts";
import { cspHeader, notifyingWrites } from "./csp_header.ts";
import { openSettingsStore, type SettingsStore } from "./settings_store.ts";

const DEFAULTS: ChatServerSettings = {
  ...defaultSettings(),
  primary: "http://127.0.0.1:5280/http-bind",
};

function connectSrc(response: Response): string | undefined {
  return response.headers.get("Content-Security-Policy")
    ?.split("; ")
    .find((directive) => directive.startsWith("connect-src "));
}

function harness(store: Pick<SettingsStore, "get">) {
  let now = 0;
  const errors: unknown[] = [];
  const csp = cspHeader({
    store,
    defaults: DEFAULTS,
    extraConnectSrc: ["wss://*.imp.example.com"],
    reportPath: "/api/csp-report",
    reportGroup: "csp-endpoint",
    now: () => now,
    logError: (_message, error) => errors.push(error),
  });
  const app = new Hono()
    .use(csp.middleware)
    .get("/", (c) => c.text("page"))
    .get("/boom", () => {
      throw new Error("handler failed");
    })
    .onError((_error, c) => c.text("failed", 500));
  return {
    csp,
    errors,
    advance: (ms: number) => {
      now += ms;
    },
    get: async (path = "/", origin = "http://localhost") => {
      const response = await app.request(`${origin}${path}`);
      await response.body?.cancel();
      return response;
    },
  };
}

Deno.test("the policy follows the stored chat servers", async (t) => {
  const kv = await openSettingsStore(":memory:");
  let reads = 0;
  const counted: SettingsStore = {
    get: () => {
      reads += 1;
      return kv.get();
    },
    put: (settings, version) => kv.put(settings, version),
    close: () => kv.close(),
  };
  const { csp, get, advance } = harness(counted);
  const store = notifyingWrites(counted, csp.invalidate);
  try {
    await t.step("the defaults while nothing is stored", async () => {
      const response = await get();
      assert.equal(
        connectSrc(response),
        "connect-src 'self' http://127.0.0.1:5280 wss://*.imp.example.com",
      );
      assert.equal(response.headers.get("Reporting-Endpoints"), null);
      assert.doesNotMatch(
        response.headers.get("Content-Security-Policy") ?? "",
        /report-to/,
      );
      const https = await get("/", "https://chat.example.com");
      assert.equal(
        https.headers.get("Reporting-Endpoints"),
        'csp-endpoint="/api/csp-report"',
      );
      assert.match(
        https.headers.get("Content-Security-Policy") ?? "",
        /; report-uri \/api\/csp-report; report-to csp-endpoint$/,
      );
    });

    await t.step("a write through the service renews it at once", async () => {
      const saved = await store.put({
        ...DEFAULTS,
        primary: "https://imp1.example.com:7443/http-bind",
        secondary: "wss://imp2.example.com:7443/ws",
      }, null);
      assert.ok(saved.ok);
      assert.equal(
        connectSrc(await get()),
        "connect-src 'self' https://imp1.example.com:7443 " +
          "wss://imp2.example.com:7443 https://imp2.example.com:7443 " +
          "wss://*.imp.example.com",
      );
    });

    await t.step(
      "the store is read once per second, however many responses",
      async () => {
        reads = 0;
        advance(1_000);
        await Promise.all(Array.from({ length: 20 }, () => get()));
        assert.equal(reads, 1);
        advance(999);
        await get();
        assert.equal(reads, 1);
      },
    );

    await t.step(
      "a write by another instance shows once the policy is a second old",
      async () => {
        const current = await kv.get();
        assert.ok(current);
        const saved = await kv.put(
          { ...current.settings, secondary: "" },
          current.version,
        );
        assert.ok(saved.ok);
        assert.match(connectSrc(await get()) ?? "", /imp2/);
        advance(1);
        assert.doesNotMatch(connectSrc(await get()) ?? "", /imp2/);
      },
    );

    await t.step("a failed store write keeps the policy", async () => {
      reads = 0;
      const refused = await store.put(DEFAULTS, "00000000000000000000");
      assert.equal(refused.ok, false);
      await get();
      assert.equal(reads, 0, "still the reused policy");
    });
  } finally {
    store.close();
  }
});

Deno.test("a read that began before a write does not stick", async () => {
  // Each get() waits until the test lets it finish; `started` tells when
  // the middleware is waiting on one.
  const waiting: (() => void)[] = [];
  let started = Promise.withResolvers<void>();
  let stored: ChatServerSettings = DEFAULTS;
  const slow = {
    async get() {
      const settings = stored;
      const done = Promise.withResolvers<void>();
      waiting.push(done.resolve);
      started.resolve();
      await done.promise;
      return { settings, version: "1" };
    },
  };
  const { csp, get } = harness(slow);
  const before = get();
  await started.promise;
  started = Promise.withResolvers<void>();
  stored = { ...DEFAULTS, primary: "https://new.example.com/http-bind" };
  csp.invalidate();
  const after = get();
  await started.promise;
  // The older read finishes last, as a slow one may.
  for (const finish of waiting.splice(0).reverse()) finish();
  assert.doesNotMatch(connectSrc(await before) ?? "", /new\.example\.com/);
  assert.match(connectSrc(await after) ?? "", /new\.example\.com/);
  // The old read did not store its result as current: this is the new one's.
  assert.match(connectSrc(await get()) ?? "", /new\.example\.com/);
  assert.equal(waiting.length, 0, "served from the reused policy");
});

Deno.test("errors carry the policy; a failed read falls back to the defaults", async () => {
  const broken = {
    get: () => Promise.reject(new Error("database is gone")),
  };
  const { get, errors } = harness(broken);
  const failed = await get("/boom");
  assert.equal(failed.status, 500);
  assert.equal(
    connectSrc(failed),
    "connect-src 'self' http://127.0.0.1:5280 wss://*.imp.example.com",
  );
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /database is gone/);
});
