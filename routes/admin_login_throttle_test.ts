// Password guessing against the administrator, through the real login and
// settings routes: the guesser's address is refused for a while, the user
// name is only slowed, and the right password from elsewhere still gets in.
// The clock and the delay's sleep are injected, so no test waits for real.
import assert from "node:assert/strict";
import { Hono } from "hono";
import { defaultSettings } from "../shared/settings/settings_schema.ts";
import { type AdminEnv, createAdminAuth, hashPassword } from "./admin_auth.ts";
import { adminRoutes } from "./admin_routes.ts";
import { type Env, loadAdminAuthConfig } from "./admin_auth_config.ts";
import { MIN_ITERATIONS } from "./password_hash.ts";
import { settingsRoutes } from "./settings_api.ts";
import { openSettingsStore, type SettingsStore } from "./settings_store.ts";

const PASSWORD = "correct horse battery staple";
const HASH = await hashPassword(PASSWORD, { iterations: MIN_ITERATIONS });
const ORIGIN = "http://localhost";
const SETTINGS = "/api/chat-server-settings";
const ATTACKER = "203.0.113.66";
const RIGHT = { username: "admin", password: PASSWORD };
const WRONG = { username: "admin", password: "guess" };
const WINDOW_MS = 15 * 60 * 1000;

interface Harness {
  app: Hono<AdminEnv>;
  store: SettingsStore;
  clock: { now: number };
  /** Every delay the throttle asked for, in order. */
  sleeps: number[];
  /** When set, sleeps wait for it, so a test can see the answer held. */
  gate: Promise<void> | undefined;
}

async function withHarness(
  env: Env,
  body: (h: Harness) => Promise<void>,
): Promise<void> {
  const store = await openSettingsStore(":memory:");
  const h: Harness = {
    app: new Hono<AdminEnv>(),
    store,
    clock: { now: Date.parse("2025-01-01T08:00:00Z") },
    sleeps: [],
    gate: undefined,
  };
  const auth = await createAdminAuth({
    config: loadAdminAuthConfig({
      DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH,
      DESKTOP_CHAT_ALLOWED_HOSTS: "localhost",
      ...env,
    }),
    now: () => h.clock.now,
    sleep: async (ms) => {
      h.sleeps.push(ms);
      await h.gate;
    },
    log: () => {},
  });
  h.app.route("/", adminRoutes(auth));
  h.app.route(
    "/",
    settingsRoutes({ store, auth, defaults: defaultSettings() }),
  );
  try {
    await body(h);
  } finally {
    store.close();
  }
}

function from(ip: string) {
  return { remoteAddr: { hostname: ip, port: 40000, transport: "tcp" } };
}

function login(
  h: Harness,
  credentials: { username: string; password: string },
  ip: string,
): Promise<Response> {
  return Promise.resolve(h.app.request(
    "/api/admin/login",
    {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: ORIGIN },
      body: JSON.stringify(credentials),
    },
    from(ip),
  ));
}

async function basicPut(
  h: Harness,
  password: string,
  ip: string,
): Promise<Response> {
  const etag = (await h.app.request(SETTINGS)).headers.get("ETag") ?? "";
  return await h.app.request(
    SETTINGS,
    {
      method: "PUT",
      headers: {
        "Content-Type": "application/json",
        "If-Match": etag,
        Authorization: `Basic ${btoa(`admin:${password}`)}`,
      },
      body: JSON.stringify({
        ...defaultSettings(),
        primary: "https://imp1.example.com:5280/http-bind",
      }),
    },
    from(ip),
  );
}

async function statusOf(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

async function refusal(
  response: Response,
): Promise<{ error: string; retryAfter: string | null }> {
  assert.equal(response.status, 429);
  const body = await response.json();
  return { error: body.error, retryAfter: response.headers.get("Retry-After") };
}

Deno.test("1,000 bad sign-ins from one address", async (t) => {
  await withHarness({}, async (h) => {
    await t.step(
      "half at the login form, half as Basic PUTs: 10 answered 401, the rest 429",
      async () => {
        const statuses = new Map<number, number>();
        for (let i = 0; i < 1000; i++) {
          const response = i % 2 === 0
            ? await login(h, WRONG, ATTACKER)
            : await basicPut(h, "guess", ATTACKER);
          const status = await statusOf(response);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
        assert.deepEqual(Object.fromEntries(statuses), { 401: 10, 429: 990 });
      },
    );
    await t.step(
      "the attacker's address is refused even the right password",
      async () => {
        assert.equal(await statusOf(await login(h, RIGHT, ATTACKER)), 429);
        assert.equal(
          await statusOf(await basicPut(h, PASSWORD, ATTACKER)),
          429,
        );
      },
    );
    await t.step(
      "the right password from another address signs in, after at most the longest delay",
      async () => {
        h.sleeps.length = 0;
        const response = await login(h, RIGHT, "192.0.2.10");
        assert.equal(response.status, 204);
        assert.match(
          response.headers.get("Set-Cookie") ?? "",
          /^desktop_chat_admin=/,
        );
        assert.deepEqual(h.sleeps, [4000], "10 failures: the cap of 4 s");
      },
    );
    await t.step(
      "and a Basic PUT with it from another address saves",
      async () => {
        assert.equal(
          await statusOf(await basicPut(h, PASSWORD, "192.0.2.11")),
          200,
        );
      },
    );
  });
});

Deno.test("the address lock says why and for how long, then expires", async (t) => {
  await withHarness({}, async (h) => {
    for (let i = 0; i < 10; i++) {
      await statusOf(await login(h, WRONG, ATTACKER));
    }

    await t.step("429 with Retry-After and the wait in words", async () => {
      const first = await login(h, WRONG, ATTACKER);
      assert.match(
        first.headers.get("Content-Type") ?? "",
        /^application\/json/,
      );
      assert.deepEqual(await refusal(first), {
        error:
          "Too many failed sign-ins from this address. Try again in 15 minutes.",
        retryAfter: "900",
      });
      h.clock.now += 61_000;
      assert.deepEqual(await refusal(await login(h, RIGHT, ATTACKER)), {
        error:
          "Too many failed sign-ins from this address. Try again in 14 minutes.",
        retryAfter: "839",
      });
      h.clock.now = h.clock.now - 61_000 + WINDOW_MS - 30_000;
      assert.deepEqual(await refusal(await login(h, RIGHT, ATTACKER)), {
        error:
          "Too many failed sign-ins from this address. Try again in 30 seconds.",
        retryAfter: "30",
      });
    });
    await t.step("refused attempts do not extend the lock", async () => {
      h.clock.now += 30_000;
      assert.equal(await statusOf(await login(h, RIGHT, ATTACKER)), 204);
    });
    await t.step("a success clears the address's count", async () => {
      for (let i = 0; i < 9; i++) {
        assert.equal(await statusOf(await login(h, WRONG, ATTACKER)), 401);
      }
      assert.equal(await statusOf(await login(h, WRONG, ATTACKER)), 401);
      assert.equal(await statusOf(await login(h, WRONG, ATTACKER)), 429);
    });
  });
});

Deno.test("a user name is slowed, never locked", async (t) => {
  await withHarness({ DESKTOP_CHAT_LOGIN_MAX_DELAY_MS: "1500" }, async (h) => {
    await t.step(
      "failures from many addresses: 401 each, delays doubling up to the configured cap",
      async () => {
        for (let i = 0; i < 30; i++) {
          assert.equal(
            await statusOf(await login(h, WRONG, `198.51.100.${i}`)),
            401,
          );
        }
        assert.deepEqual(h.sleeps.slice(0, 8), [
          0,
          0,
          0,
          250,
          500,
          1000,
          1500,
          1500,
        ]);
        assert.equal(Math.max(...h.sleeps), 1500);
      },
    );
    await t.step(
      "the right password waits as long as a wrong one would, then gets in",
      async () => {
        h.sleeps.length = 0;
        assert.equal(await statusOf(await login(h, RIGHT, "192.0.2.20")), 204);
        assert.deepEqual(h.sleeps, [1500]);
      },
    );
    await t.step("a success lifts the delay", async () => {
      h.sleeps.length = 0;
      assert.equal(await statusOf(await login(h, WRONG, "192.0.2.21")), 401);
      assert.deepEqual(h.sleeps, [0]);
    });
    await t.step("the answer is held until the delay has passed", async () => {
      for (let i = 0; i < 5; i++) {
        await statusOf(await login(h, WRONG, `192.0.2.${30 + i}`));
      }
      let release = () => {};
      h.gate = new Promise((resolve) => (release = resolve));
      let answered = false;
      const pending = login(h, RIGHT, "192.0.2.40").then((response) => {
        answered = true;
        return response;
      });
      // Far longer than deriving the test hash; the answer must still wait.
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(answered, false);
      release();
      assert.equal(await statusOf(await pending), 204);
    });
  });
});

Deno.test("parallel guesses cannot slip under the address limit", async () => {
  await withHarness({}, async (h) => {
    const statuses = await Promise.all(
      Array.from(
        { length: 12 },
        async () => statusOf(await login(h, WRONG, ATTACKER)),
      ),
    );
    assert.deepEqual(statuses.sort(), [...Array(10).fill(401), 429, 429]);
  });
});

Deno.test("the limits come from the environment", async () => {
  await withHarness(
    {
      DESKTOP_CHAT_LOGIN_MAX_FAILURES_PER_ADDRESS: "2",
      DESKTOP_CHAT_LOGIN_WINDOW_SECONDS: "60",
      DESKTOP_CHAT_LOGIN_FREE_FAILURES_PER_USER: "0",
    },
    async (h) => {
      assert.equal(await statusOf(await login(h, WRONG, ATTACKER)), 401);
      assert.equal(await statusOf(await login(h, WRONG, ATTACKER)), 401);
      assert.deepEqual(await refusal(await login(h, WRONG, ATTACKER)), {
        error:
          "Too many failed sign-ins from this address. Try again in 1 minute.",
        retryAfter: "60",
      });
      assert.deepEqual(h.sleeps, [250, 500]);
    },
  );
});
