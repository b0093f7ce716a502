// The settings API through a real Hono app, real admin sign-in and a real
// KV file, as the admin page and the agents' desktops use it.
import assert from "node:assert/strict";
import { join } from "node:path";
import { Hono } from "hono";
import {
  type ChatServerSettings,
  defaultSettings,
} from "../shared/settings/settings_schema.ts";
import { createAdminAuth, hashPassword } from "./admin_auth.ts";
import { adminRoutes } from "./admin_routes.ts";
import { type Env, loadAdminAuthConfig } from "./admin_auth_config.ts";
import { MIN_ITERATIONS } from "./password_hash.ts";
import { SETTINGS_BODY_LIMIT, settingsRoutes } from "./settings_api.ts";
import { openSettingsStore, type SettingsStore } from "./settings_store.ts";

const PASSWORD = "correct horse battery staple";
const HASH = await hashPassword(PASSWORD, { iterations: MIN_ITERATIONS });
const URL_PATH = "/api/chat-server-settings";
const ORIGIN = "http://localhost";
const DEFAULTS = defaultSettings();

const SAVED: ChatServerSettings = {
  primary: "https://imp1.example.com:5280/http-bind",
  secondary: "https://imp2.example.com:5280/http-bind",
  attachments: {
    enabled: true,
    maxBytes: 2 * 1024 * 1024,
    allowedTypes: [".pdf", "image/*"],
  },
};

interface Service {
  app: Hono;
  store: SettingsStore;
}

async function startService(
  kvPath: string,
  env: Env = { DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH },
): Promise<Service> {
  const store = await openSettingsStore(kvPath);
  const auth = await createAdminAuth({
    // Requests go to http://localhost: the service's own host here.
    config: loadAdminAuthConfig({
      DESKTOP_CHAT_ALLOWED_HOSTS: "localhost",
      ...env,
    }),
    log: () => {},
  });
  const app = new Hono();
  app.route("/", adminRoutes(auth));
  app.route("/", settingsRoutes({ store, auth, defaults: DEFAULTS }));
  return { app, store };
}

async function withService(
  body: (service: Service, kvPath: string) => Promise<void>,
  env?: Env,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "settings_api_test_" });
  const kvPath = join(dir, "desktop-chat.kv");
  const service = await startService(kvPath, env);
  try {
    await body(service, kvPath);
  } finally {
    service.store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

async function signIn(app: Hono): Promise<string> {
  const response = await app.request("/api/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: ORIGIN },
    body: JSON.stringify({ username: "admin", password: PASSWORD }),
  });
  assert.equal(response.status, 204);
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0];
}

async function getSettings(
  app: Hono,
  headers: Record<string, string> = {},
): Promise<Response> {
  return await app.request(URL_PATH, { headers });
}

async function etagOf(app: Hono): Promise<string> {
  const response = await getSettings(app);
  await response.body?.cancel();
  const etag = response.headers.get("ETag");
  assert.ok(etag);
  return etag;
}

function put(
  app: Hono,
  body: BodyInit | null,
  headers: Record<string, string | undefined>,
): Promise<Response> {
  const defined = Object.entries({
    "Content-Type": "application/json",
    Origin: ORIGIN,
    ...headers,
  })
    .filter((entry): entry is [string, string] => entry[1] !== undefined);
  return Promise.resolve(
    app.request(URL_PATH, { method: "PUT", headers: defined, body }),
  );
}

async function assertJsonError(
  response: Response,
  status: number,
  message?: RegExp,
): Promise<{ error: string; errors?: Record<string, string> }> {
  assert.equal(response.status, status);
  assert.match(
    response.headers.get("Content-Type") ?? "",
    /^application\/json/,
  );
  const body = await response.json();
  assert.equal(typeof body.error, "string");
  if (message) assert.match(body.error, message);
  return body;
}

Deno.test("GET serves the defaults until something is saved", async (t) => {
  await withService(async ({ app }) => {
    let etag = "";
    await t.step(
      "200, defaults, strong ETag, no-cache, no sign-in needed",
      async () => {
        const response = await getSettings(app);
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), DEFAULTS);
        assert.equal(response.headers.get("Cache-Control"), "no-cache");
        etag = response.headers.get("ETag") ?? "";
        assert.match(etag, /^"d-[0-9a-f]{24}"$/);
      },
    );
    await t.step("If-None-Match with the ETag → 304", async () => {
      const response = await getSettings(app, { "If-None-Match": etag });
      assert.equal(response.status, 304);
      assert.equal(response.headers.get("ETag"), etag);
      assert.equal(await response.text(), "");
    });
    await t.step(
      "the weak form and a list match too (weak comparison)",
      async () => {
        assert.equal(
          (await getSettings(app, { "If-None-Match": `W/${etag}` })).status,
          304,
        );
        assert.equal(
          (await getSettings(app, { "If-None-Match": `"other", ${etag}` }))
            .status,
          304,
        );
      },
    );
    await t.step("another tag → 200", async () => {
      const response = await getSettings(app, {
        "If-None-Match": '"s-00000000000000000000"',
      });
      assert.equal(response.status, 200);
      await response.body?.cancel();
    });
  });
});

Deno.test("sign in, PUT, GET round trip", async (t) => {
  await withService(async ({ app }) => {
    const cookie = await signIn(app);
    const before = await etagOf(app);
    let after = "";

    await t.step(
      "PUT with If-Match → 200, normalized settings, new ETag",
      async () => {
        const response = await put(
          app,
          JSON.stringify({
            ...SAVED,
            primary: " HTTPS://IMP1.EXAMPLE.COM:5280/http-bind ",
          }),
          {
            Cookie: cookie,
            "If-Match": before,
          },
        );
        assert.equal(response.status, 200);
        assert.deepEqual(await response.json(), SAVED);
        after = response.headers.get("ETag") ?? "";
        assert.match(after, /^"s-[0-9a-f]+"$/);
        assert.notEqual(after, before);
      },
    );
    await t.step("GET returns what was saved under the same ETag", async () => {
      const response = await getSettings(app);
      assert.deepEqual(await response.json(), SAVED);
      assert.equal(response.headers.get("ETag"), after);
      assert.equal(
        (await getSettings(app, { "If-None-Match": after })).status,
        304,
      );
    });
    await t.step("the next PUT needs the new ETag", async () => {
      const changed = { ...SAVED, secondary: "" };
      const response = await put(app, JSON.stringify(changed), {
        Cookie: cookie,
        "If-Match": after,
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), changed);
    });
  });
});

Deno.test("PUT refusals", async (t) => {
  await withService(async ({ app }) => {
    const cookie = await signIn(app);
    const body = JSON.stringify(SAVED);

    await t.step("no credentials → 401", async () => {
      await assertJsonError(
        await put(app, body, { "If-Match": await etagOf(app) }),
        401,
      );
    });
    await t.step("wrong Basic password → 401", async () => {
      await assertJsonError(
        await put(app, body, {
          Authorization: `Basic ${btoa("admin:wrong")}`,
          "If-Match": await etagOf(app),
        }),
        401,
      );
    });
    await t.step("missing If-Match → 428", async () => {
      await assertJsonError(
        await put(app, body, { Cookie: cookie }),
        428,
        /If-Match/,
      );
    });
    await t.step("stale If-Match → 412 with the current ETag", async () => {
      const response = await put(app, body, {
        Cookie: cookie,
        "If-Match": '"s-00000000000000000000"',
      });
      await assertJsonError(response, 412, /changed meanwhile/);
      assert.equal(response.headers.get("ETag"), await etagOf(app));
    });
    await t.step(
      "a weak If-Match never matches (strong comparison) → 412",
      async () => {
        await assertJsonError(
          await put(app, body, {
            Cookie: cookie,
            "If-Match": `W/${await etagOf(app)}`,
          }),
          412,
        );
      },
    );
    await t.step("20 KiB body declared in Content-Length → 413", async () => {
      const huge = JSON.stringify({
        ...SAVED,
        primary: `https://imp.example.com/${"a".repeat(20 * 1024)}`,
      });
      const response = await put(app, huge, {
        Cookie: cookie,
        "If-Match": await etagOf(app),
        "Content-Length": String(huge.length),
      });
      await assertJsonError(
        response,
        413,
        new RegExp(String(SETTINGS_BODY_LIMIT)),
      );
    });
    await t.step("20 KiB streamed without Content-Length → 413", async () => {
      const chunk = new TextEncoder().encode(" ".repeat(1024));
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent++ < 20) controller.enqueue(chunk);
          else controller.close();
        },
      });
      await assertJsonError(
        await put(app, stream, {
          Cookie: cookie,
          "If-Match": await etagOf(app),
        }),
        413,
      );
    });
    await t.step(
      "a Content-Length that understates the body → 413 on the bytes read",
      async () => {
        const huge = " ".repeat(20 * 1024) + body;
        const response = await put(app, huge, {
          Cookie: cookie,
          "If-Match": await etagOf(app),
          "Content-Length": "100",
        });
        await assertJsonError(response, 413);
      },
    );
    await t.step("non-JSON → 400", async () => {
      await assertJsonError(
        await put(app, "primary=https://x", {
          Cookie: cookie,
          "If-Match": await etagOf(app),
        }),
        400,
        /JSON/,
      );
      await assertJsonError(
        await put(app, body, {
          Cookie: cookie,
          "If-Match": await etagOf(app),
          "Content-Type": "text/plain",
        }),
        400,
        /Content-Type/,
      );
    });
    await t.step("invalid URL → 422 naming the field", async () => {
      const response = await put(
        app,
        JSON.stringify({
          ...SAVED,
          primary: "javascript:alert(1)",
          attachments: { ...SAVED.attachments, maxBytes: 0 },
        }),
        {
          Cookie: cookie,
          "If-Match": await etagOf(app),
        },
      );
      const error = await assertJsonError(response, 422);
      assert.deepEqual(Object.keys(error.errors ?? {}).sort(), [
        "attachments.maxBytes",
        "primary",
      ]);
      assert.match(error.errors?.primary ?? "", /javascript:/);
    });
    await t.step("cross-origin PUT → 403, even with a session", async () => {
      const response = await put(app, body, {
        Cookie: cookie,
        "If-Match": await etagOf(app),
        Origin: "https://evil.example",
      });
      await assertJsonError(response, 403);
    });
    await t.step("nothing was saved by any of these", async () => {
      assert.deepEqual(await (await getSettings(app)).json(), DEFAULTS);
    });
  });
});

Deno.test("two administrators never overwrite each other", async () => {
  await withService(async ({ app }) => {
    const alice = await signIn(app);
    const bob = await signIn(app);
    const seen = await etagOf(app);
    const first = await put(app, JSON.stringify(SAVED), {
      Cookie: alice,
      "If-Match": seen,
    });
    assert.equal(first.status, 200);
    await first.body?.cancel();
    const second = await put(app, JSON.stringify({ ...SAVED, secondary: "" }), {
      Cookie: bob,
      "If-Match": seen,
    });
    await assertJsonError(second, 412);
    assert.equal(second.headers.get("ETag"), first.headers.get("ETag"));
    assert.deepEqual(await (await getSettings(app)).json(), SAVED);
  });
});

Deno.test("Basic credentials, for scripts: If-Match with the ETag, never *", async (t) => {
  await withService(async ({ app }) => {
    const authorization = `Basic ${btoa(`admin:${PASSWORD}`)}`;
    await t.step("If-Match: * → 428 asking for the ETag", async () => {
      for (const star of ["*", " * "]) {
        const response = await put(app, JSON.stringify(SAVED), {
          Authorization: authorization,
          "If-Match": star,
          Origin: undefined,
        });
        await assertJsonError(
          response,
          428,
          /If-Match with the ETag from GET \/api\/chat-server-settings \(not \*\)/,
        );
      }
      assert.deepEqual(await (await getSettings(app)).json(), DEFAULTS);
    });
    await t.step("the ETag → 200", async () => {
      const response = await put(app, JSON.stringify(SAVED), {
        Authorization: authorization,
        "If-Match": await etagOf(app),
        Origin: undefined,
      });
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), SAVED);
    });
  });
});

Deno.test("settings survive closing and reopening the store (a restart)", async () => {
  await withService(async (first, kvPath) => {
    const defaultsTag = await etagOf(first.app);
    const saved = await put(first.app, JSON.stringify(SAVED), {
      Cookie: await signIn(first.app),
      "If-Match": defaultsTag,
    });
    assert.equal(saved.status, 200);
    await saved.body?.cancel();
    first.store.close();

    const second = await startService(kvPath);
    try {
      const response = await getSettings(second.app);
      assert.deepEqual(await response.json(), SAVED);
      assert.equal(response.headers.get("ETag"), saved.headers.get("ETag"));
      const stale = await put(
        second.app,
        JSON.stringify({ ...SAVED, secondary: "" }),
        {
          Cookie: await signIn(second.app),
          "If-Match": defaultsTag,
        },
      );
      await assertJsonError(stale, 412);
    } finally {
      second.store.close();
    }
  });
});

Deno.test("production without a configured hash: PUT → 503, GET still works", async () => {
  await withService(async ({ app }) => {
    const response = await put(app, JSON.stringify(SAVED), {
      "If-Match": '"d-0"',
    });
    await assertJsonError(response, 503, /DESKTOP_CHAT_ADMIN_PASSWORD_HASH/);
    const get = await getSettings(app);
    assert.equal(get.status, 200);
    assert.deepEqual(await get.json(), DEFAULTS);
  }, {});
});

Deno.test("an unreadable stored record is a JSON 500 without details", async () => {
  await withService(async ({ app }, kvPath) => {
    const kv = await Deno.openKv(kvPath);
    try {
      await kv.set(["desktop-chat", "chat-server-settings"], {
        format: 1,
        settings: { primary: "javascript:alert(1)" },
      });
    } finally {
      kv.close();
    }
    const originalError = console.error;
    const logged: unknown[][] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const body = await assertJsonError(await getSettings(app), 500);
      assert.doesNotMatch(body.error, /javascript|valid/);
      assert.equal(logged.length, 1, "logged for the operator");
    } finally {
      console.error = originalError;
    }
  });
});
