// The administrator's sign-in through a real Hono app and a real KV file.
import assert from "node:assert/strict";
import { join } from "node:path";
import { Hono } from "hono";
import {
  type AdminAuth,
  type AdminEnv,
  createAdminAuth,
  hashPassword,
} from "./admin_auth.ts";
import { adminRoutes, requireAdmin } from "./admin_routes.ts";
import { type Env, loadAdminAuthConfig } from "./admin_auth_config.ts";
import { MIN_ITERATIONS } from "./password_hash.ts";
import { type KvSettingsStore, openSettingsStore } from "./settings_store.ts";

const PASSWORD = "correct horse battery staple";
const HASH = await hashPassword(PASSWORD, { iterations: MIN_ITERATIONS });
const ORIGIN = "http://localhost";

interface Harness {
  app: Hono<AdminEnv>;
  auth: AdminAuth;
  store: KvSettingsStore;
  logs: string[];
  clock: { now: number };
}

async function harness(
  dir: string,
  env: Env = { DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH },
): Promise<Harness> {
  const store = await openSettingsStore(join(dir, "desktop-chat.kv"));
  const logs: string[] = [];
  const clock = { now: Date.parse("2025-01-01T08:00:00Z") };
  const auth = await createAdminAuth({
    // The requests below name these hosts; the service answers for them.
    config: loadAdminAuthConfig({
      DESKTOP_CHAT_ALLOWED_HOSTS: "localhost chat.example.com",
      ...env,
    }),
    devCredentials: store,
    now: () => clock.now,
    // The sign-in delay is admin_login_throttle_test.ts's subject.
    sleep: () => Promise.resolve(),
    log: (line) => logs.push(line),
  });
  const app = new Hono<AdminEnv>();
  app.route("/", adminRoutes(auth));
  app.get(
    "/api/admin/whoami",
    requireAdmin(auth),
    (c) => c.json(c.get("admin")),
  );
  // Outside /api/admin/*, so only requireAdmin itself guards it.
  app.post("/probe", requireAdmin(auth), (c) => c.json(c.get("admin")));
  return { app, auth, store, logs, clock };
}

async function withHarness(
  env: Env | undefined,
  body: (h: Harness) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "admin_auth_test_" });
  const h = await harness(dir, env);
  try {
    await body(h);
  } finally {
    h.store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

function from(ip: string) {
  return { remoteAddr: { hostname: ip, port: 40000, transport: "tcp" } };
}

function login(
  h: Harness,
  credentials: { username: string; password: string },
  options: { ip?: string; headers?: Record<string, string>; url?: string } = {},
): Promise<Response> {
  return Promise.resolve(h.app.request(
    options.url ?? "/api/admin/login",
    {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Origin: ORIGIN,
        ...options.headers,
      },
      body: JSON.stringify(credentials),
    },
    from(options.ip ?? "192.0.2.1"),
  ));
}

function basic(username: string, password: string): string {
  return `Basic ${
    btoa(
      String.fromCharCode(
        ...new TextEncoder().encode(`${username}:${password}`),
      ),
    )
  }`;
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.get("Set-Cookie");
  assert.ok(cookie, "a Set-Cookie header");
  return cookie.split(";")[0];
}

async function assertJsonError(
  response: Response,
  status: number,
  message?: RegExp,
): Promise<void> {
  assert.equal(response.status, status);
  assert.match(
    response.headers.get("Content-Type") ?? "",
    /^application\/json/,
  );
  const body = await response.json();
  assert.equal(typeof body.error, "string");
  if (message) assert.match(body.error, message);
}

const RIGHT = { username: "admin", password: PASSWORD };
const WRONG = { username: "admin", password: "guess" };

Deno.test("login, session and logout", async (t) => {
  await withHarness(undefined, async (h) => {
    let cookie = "";

    await t.step("no credentials → 401 with a challenge", async () => {
      const response = await h.app.request(
        "/api/admin/session",
        {},
        from("192.0.2.1"),
      );
      assert.match(
        response.headers.get("WWW-Authenticate") ?? "",
        /^Cookie realm=/,
      );
      await assertJsonError(response, 401, /Sign in/);
    });

    await t.step(
      "right credentials → 204 and an HttpOnly, SameSite=Strict session cookie",
      async () => {
        const response = await login(h, RIGHT);
        assert.equal(response.status, 204);
        const header = response.headers.get("Set-Cookie") ?? "";
        assert.match(
          header,
          /^desktop_chat_admin=[A-Za-z0-9_-]{43};/,
          "256 random bits, base64url",
        );
        assert.match(header, /HttpOnly/);
        assert.match(header, /SameSite=Strict/);
        assert.match(header, /Path=\//);
        assert.match(header, /Max-Age=28800/);
        assert.doesNotMatch(header, /Secure/, "plain http in this test");
        assert.equal(response.headers.get("Cache-Control"), "no-store");
        cookie = sessionCookie(response);
      },
    );

    await t.step("the cookie opens the session", async () => {
      const response = await h.app.request("/api/admin/session", {
        headers: { Cookie: cookie },
      }, from("192.0.2.1"));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { username: "admin" });
      const whoami = await h.app.request("/api/admin/whoami", {
        headers: { Cookie: cookie },
      }, from("192.0.2.1"));
      assert.deepEqual(await whoami.json(), { username: "admin" });
    });

    await t.step("a forged cookie does not", async () => {
      const response = await h.app.request(
        "/api/admin/session",
        { headers: { Cookie: `desktop_chat_admin=${"A".repeat(43)}` } },
        from("192.0.2.1"),
      );
      await assertJsonError(response, 401);
    });

    await t.step("logout ends the session on the server", async () => {
      const response = await h.app.request("/api/admin/logout", {
        method: "POST",
        headers: { Cookie: cookie, Origin: ORIGIN },
      }, from("192.0.2.1"));
      assert.equal(response.status, 204);
      assert.match(
        response.headers.get("Set-Cookie") ?? "",
        /desktop_chat_admin=;.*Max-Age=0/,
      );
      const after = await h.app.request("/api/admin/session", {
        headers: { Cookie: cookie },
      }, from("192.0.2.1"));
      await assertJsonError(after, 401);
    });

    await t.step("sessions expire on the server after 8 hours", async () => {
      const fresh = sessionCookie(await login(h, RIGHT));
      h.clock.now += 8 * 60 * 60 * 1000 - 1000;
      assert.equal(
        (await h.app.request("/api/admin/session", {
          headers: { Cookie: fresh },
        })).status,
        200,
      );
      h.clock.now += 1000;
      await assertJsonError(
        await h.app.request("/api/admin/session", {
          headers: { Cookie: fresh },
        }),
        401,
      );
    });

    await t.step(
      "over https the cookie is Secure and __Host- prefixed",
      async () => {
        const response = await login(h, RIGHT, {
          url: "https://chat.example.com/api/admin/login",
          headers: { Origin: "https://chat.example.com" },
        });
        assert.equal(response.status, 204);
        const header = response.headers.get("Set-Cookie") ?? "";
        assert.match(header, /^__Host-desktop_chat_admin=/);
        assert.match(header, /Secure/);
        const session = await h.app.request(
          "https://chat.example.com/api/admin/session",
          {
            headers: { Cookie: sessionCookie(response) },
          },
        );
        assert.equal(session.status, 200);
      },
    );
  });
});

Deno.test("bad login requests", async (t) => {
  await withHarness(undefined, async (h) => {
    await t.step("wrong password → 401 JSON", async () => {
      await assertJsonError(
        await login(h, WRONG),
        401,
        /Wrong user name or password/,
      );
    });
    await t.step("wrong user name → the same 401", async () => {
      await assertJsonError(
        await login(h, { username: "root", password: PASSWORD }, {
          ip: "192.0.2.9",
        }),
        401,
        /Wrong user name or password/,
      );
    });
    await t.step("non-JSON → 400", async () => {
      const response = await h.app.request("/api/admin/login", {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: ORIGIN },
        body: "username=admin&password=x",
      });
      await assertJsonError(response, 400, /not valid JSON/);
    });
    await t.step("a form post → 400", async () => {
      const response = await h.app.request("/api/admin/login", {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: ORIGIN,
        },
        body: "username=admin&password=x",
      });
      await assertJsonError(response, 400, /Content-Type: application\/json/);
    });
    await t.step("missing or non-text fields → 400", async () => {
      for (
        const body of [
          {},
          { username: "admin" },
          { username: "admin", password: 1 },
          null,
          [],
        ]
      ) {
        const response = await h.app.request("/api/admin/login", {
          method: "POST",
          headers: { "Content-Type": "application/json", Origin: ORIGIN },
          body: JSON.stringify(body),
        });
        await assertJsonError(response, 400, /username/);
      }
    });
    await t.step("an oversized body → 413", async () => {
      await assertJsonError(
        await login(h, { username: "admin", password: "x".repeat(5000) }),
        413,
      );
    });
  });
});

Deno.test("Basic credentials for scripts", async (t) => {
  await withHarness(undefined, async (h) => {
    await t.step("right → 200 without a cookie", async () => {
      const response = await h.app.request("/api/admin/whoami", {
        headers: { Authorization: basic("admin", PASSWORD) },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("Set-Cookie"), null);
      assert.deepEqual(await response.json(), { username: "admin" });
    });
    await t.step("wrong → 401 with a Basic challenge", async () => {
      const response = await h.app.request("/api/admin/whoami", {
        headers: { Authorization: basic("admin", "nope") },
      }, from("192.0.2.50"));
      assert.match(
        response.headers.get("WWW-Authenticate") ?? "",
        /^Basic realm="Desktop Chat administration"/,
      );
      await assertJsonError(response, 401);
    });
    await t.step("malformed → 401", async () => {
      for (
        const header of [
          "Basic !!!",
          `Basic ${btoa("no-colon")}`,
          `Basic ${btoa("\xff\xfe:x")}`,
        ]
      ) {
        await assertJsonError(
          await h.app.request("/api/admin/whoami", {
            headers: { Authorization: header },
          }),
          401,
        );
      }
    });
    await t.step("a password containing a colon", async () => {
      await withHarness(
        {
          DESKTOP_CHAT_ADMIN_PASSWORD_HASH: await hashPassword("a:b:c", {
            iterations: MIN_ITERATIONS,
          }),
        },
        async (other) => {
          const response = await other.app.request("/api/admin/whoami", {
            headers: { Authorization: basic("admin", "a:b:c") },
          });
          assert.equal(response.status, 200);
        },
      );
    });
  });
});

Deno.test("cross-site writes are refused", async (t) => {
  await withHarness(
    {
      DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH,
      DESKTOP_CHAT_ADMIN_ORIGINS: "https://finesse.example.com:8445",
    },
    async (h) => {
      await t.step("a foreign Origin → 403", async () => {
        await assertJsonError(
          await login(h, RIGHT, {
            headers: { Origin: "https://evil.example" },
          }),
          403,
          /Cross-origin/,
        );
      });
      await t.step("Origin: null → 403", async () => {
        await assertJsonError(
          await login(h, RIGHT, { headers: { Origin: "null" } }),
          403,
        );
      });
      await t.step("a configured origin may write", async () => {
        assert.equal(
          (await login(h, RIGHT, {
            headers: { Origin: "https://finesse.example.com:8445" },
          })).status,
          204,
        );
      });
      await t.step("logout is guarded too", async () => {
        const response = await h.app.request("/api/admin/logout", {
          method: "POST",
          headers: { Origin: "https://evil.example" },
        });
        await assertJsonError(response, 403);
      });
      await t.step("without Origin, Sec-Fetch-Site decides", async () => {
        const withSite = (site: string) => {
          const headers: Record<string, string> = {
            "Content-Type": "application/json",
            "Sec-Fetch-Site": site,
          };
          return h.app.request("/api/admin/login", {
            method: "POST",
            headers,
            body: JSON.stringify(RIGHT),
          });
        };
        await assertJsonError(await withSite("cross-site"), 403, /Cross-site/);
        await assertJsonError(await withSite("same-site"), 403);
        assert.equal((await withSite("same-origin")).status, 204);
        assert.equal((await withSite("none")).status, 204);
      });
      await t.step(
        "a client sending neither header (curl) may write",
        async () => {
          const response = await h.app.request("/api/admin/login", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(RIGHT),
          });
          assert.equal(response.status, 204);
        },
      );
      await t.step(
        "requireAdmin refuses a cross-site write by itself",
        async () => {
          const probe = (headers: Record<string, string>) =>
            h.app.request("/probe", {
              method: "POST",
              headers: { Authorization: basic("admin", PASSWORD), ...headers },
            });
          await assertJsonError(
            await probe({ Origin: "https://evil.example" }),
            403,
          );
          await assertJsonError(
            await probe({ "Sec-Fetch-Site": "cross-site" }),
            403,
          );
          assert.equal((await probe({ Origin: ORIGIN })).status, 200);
        },
      );
      await t.step("reads are not guarded", async () => {
        const response = await h.app.request("/api/admin/session", {
          headers: { Origin: "https://evil.example" },
        });
        await assertJsonError(response, 401);
      });
    },
  );
});

Deno.test("production without a configured hash → 503 saying how to configure it", async (t) => {
  await withHarness({}, async (h) => {
    await t.step("a warning at start-up", () => {
      assert.equal(h.logs.length, 1);
      assert.match(h.logs[0], /DESKTOP_CHAT_ADMIN_PASSWORD_HASH/);
    });
    for (
      const [name, request] of [
        ["login", () => login(h, { username: "admin", password: "admin" })],
        ["session", () => h.app.request("/api/admin/session")],
        [
          "logout",
          () => h.app.request("/api/admin/logout", { method: "POST" }),
        ],
        [
          "requireAdmin",
          () =>
            h.app.request("/api/admin/whoami", {
              headers: { Authorization: basic("admin", "admin") },
            }),
        ],
      ] as const
    ) {
      await t.step(name, async () => {
        const response = await request();
        await assertJsonError(
          response,
          503,
          /DESKTOP_CHAT_ADMIN_PASSWORD_HASH.*hash_password\.ts.*DESKTOP_CHAT_DEV=1/,
        );
      });
    }
    assert.equal(h.auth.configured, false);
  });
});

Deno.test("dev mode generates a password once and keeps it across restarts", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "admin_auth_dev_" });
  try {
    const env = {
      DESKTOP_CHAT_DEV: "1",
      DESKTOP_CHAT_ADMIN_USER: "supervisor",
    };
    let password = "";

    await t.step(
      "first start prints the user name and a random password",
      async () => {
        const h = await harness(dir, env);
        try {
          assert.equal(h.logs.length, 1);
          const match =
            /administrator "supervisor", password "([A-Za-z0-9_-]{24})"/.exec(
              h.logs[0],
            );
          assert.ok(match, h.logs[0]);
          password = match[1];
          assert.equal(
            (await login(h, { username: "supervisor", password })).status,
            204,
          );
        } finally {
          h.store.close();
        }
      },
    );

    await t.step("a restart keeps it and does not print it again", async () => {
      const h = await harness(dir, env);
      try {
        assert.equal(h.logs.length, 1);
        assert.doesNotMatch(h.logs[0], new RegExp(password));
        assert.match(h.logs[0], /keeps the password/);
        assert.equal(
          (await login(h, { username: "supervisor", password })).status,
          204,
        );
      } finally {
        h.store.close();
      }
    });

    await t.step("a configured hash wins over the generated one", async () => {
      const h = await harness(dir, {
        ...env,
        DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH,
      });
      try {
        assert.deepEqual(h.logs, []);
        await assertJsonError(
          await login(h, { username: "supervisor", password }),
          401,
        );
        assert.equal(
          (await login(h, { username: "supervisor", password: PASSWORD }))
            .status,
          204,
        );
      } finally {
        h.store.close();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
