import assert from "node:assert/strict";
import {
  AdminAuthConfigError,
  type Env,
  loadAdminAuthConfig,
} from "./admin_auth_config.ts";
import { DEFAULT_LOGIN_LIMITS } from "./login_limits.ts";
import { hashPassword, MIN_ITERATIONS } from "./password_hash.ts";

const HASH = await hashPassword("a password", { iterations: MIN_ITERATIONS });

Deno.test("loadAdminAuthConfig", async (t) => {
  await t.step("defaults", () => {
    assert.deepEqual(loadAdminAuthConfig({}), {
      username: "admin",
      passwordHash: undefined,
      dev: false,
      allowedOrigins: [],
      allowedHosts: [],
      secureCookie: "auto",
      limits: DEFAULT_LOGIN_LIMITS,
    });
  });
  await t.step("values", () => {
    const config = loadAdminAuthConfig({
      DESKTOP_CHAT_ADMIN_USER: "ops",
      DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH,
      DESKTOP_CHAT_DEV: "true",
      DESKTOP_CHAT_ADMIN_ORIGINS:
        "https://finesse.example.com:8445, https://admin.example.com",
      DESKTOP_CHAT_ALLOWED_HOSTS: "Chat.Example.com, chat.internal:8000 [::1]",
      DESKTOP_CHAT_SECURE_COOKIE: "off",
      DESKTOP_CHAT_LOGIN_WINDOW_SECONDS: "600",
      DESKTOP_CHAT_LOGIN_MAX_FAILURES_PER_ADDRESS: "20",
      DESKTOP_CHAT_LOGIN_FREE_FAILURES_PER_USER: "0",
      DESKTOP_CHAT_LOGIN_MAX_DELAY_MS: "2000",
    });
    assert.equal(config.username, "ops");
    assert.equal(config.passwordHash?.iterations, MIN_ITERATIONS);
    assert.equal(config.dev, true);
    assert.deepEqual(config.allowedOrigins, [
      "https://finesse.example.com:8445",
      "https://admin.example.com",
    ]);
    assert.deepEqual(config.allowedHosts, [
      "chat.example.com",
      "chat.internal:8000",
      "[::1]",
    ]);
    assert.equal(config.secureCookie, false);
    assert.deepEqual(config.limits, {
      ...DEFAULT_LOGIN_LIMITS,
      windowMs: 600_000,
      maxFailuresPerAddress: 20,
      freeFailuresPerUser: 0,
      maxDelayMs: 2000,
    });
  });
  await t.step("the Secure cookie follows an https public origin", () => {
    const https = { DESKTOP_CHAT_PUBLIC_ORIGIN: "https://chat.example.com" };
    assert.equal(loadAdminAuthConfig(https).secureCookie, true);
    assert.equal(
      loadAdminAuthConfig({ ...https, DESKTOP_CHAT_SECURE_COOKIE: "auto" })
        .secureCookie,
      "auto",
    );
    assert.equal(
      loadAdminAuthConfig({
        DESKTOP_CHAT_PUBLIC_ORIGIN: "http://chat.example.com",
      }).secureCookie,
      "auto",
    );
    assert.equal(
      loadAdminAuthConfig({ DESKTOP_CHAT_SECURE_COOKIE: "on" }).secureCookie,
      true,
    );
  });
  const bad: [string, Env, RegExp][] = [
    ["a malformed hash", {
      DESKTOP_CHAT_ADMIN_PASSWORD_HASH: "plaintext-password",
    }, /^DESKTOP_CHAT_ADMIN_PASSWORD_HASH: expected pbkdf2-sha256/],
    ["a weak hash", {
      DESKTOP_CHAT_ADMIN_PASSWORD_HASH: HASH.replace("$100000$", "$1000$"),
    }, /iteration count/],
    ["an unclear flag", { DESKTOP_CHAT_DEV: "maybe" }, /^DESKTOP_CHAT_DEV:/],
    [
      "a user name with a colon",
      { DESKTOP_CHAT_ADMIN_USER: "ad:min" },
      /^DESKTOP_CHAT_ADMIN_USER:/,
    ],
    ["an origin with a path", {
      DESKTOP_CHAT_ADMIN_ORIGINS: "https://finesse.example.com/admin",
    }, /expected origins such as/],
    ["a non-http origin", {
      DESKTOP_CHAT_ADMIN_ORIGINS: "ftp://finesse.example.com",
    }, /expected origins such as/],
    ["a URL as an allowed host", {
      DESKTOP_CHAT_ALLOWED_HOSTS: "https://chat.example.com/",
    }, /^DESKTOP_CHAT_ALLOWED_HOSTS: expected host names such as/],
    ["a port out of range", {
      DESKTOP_CHAT_ALLOWED_HOSTS: "chat.example.com:99999",
    }, /^DESKTOP_CHAT_ALLOWED_HOSTS:/],
    ["an unclear cookie setting", {
      DESKTOP_CHAT_SECURE_COOKIE: "sometimes",
    }, /^DESKTOP_CHAT_SECURE_COOKIE: expected auto, on or off/],
    [
      "a zero address limit",
      {
        DESKTOP_CHAT_LOGIN_MAX_FAILURES_PER_ADDRESS: "0",
      },
      /^DESKTOP_CHAT_LOGIN_MAX_FAILURES_PER_ADDRESS: expected a whole number from 1 to/,
    ],
    ["a window in words", {
      DESKTOP_CHAT_LOGIN_WINDOW_SECONDS: "15m",
    }, /^DESKTOP_CHAT_LOGIN_WINDOW_SECONDS: expected a whole number/],
    [
      "a delay longer than a request may wait",
      {
        DESKTOP_CHAT_LOGIN_MAX_DELAY_MS: "60000",
      },
      /^DESKTOP_CHAT_LOGIN_MAX_DELAY_MS: expected a whole number from 0 to 10000/,
    ],
    ["a negative free count", {
      DESKTOP_CHAT_LOGIN_FREE_FAILURES_PER_USER: "-1",
    }, /^DESKTOP_CHAT_LOGIN_FREE_FAILURES_PER_USER:/],
  ];
  for (const [name, env, message] of bad) {
    await t.step(name, () => {
      assert.throws(() => loadAdminAuthConfig(env), (error: unknown) => {
        assert.ok(error instanceof AdminAuthConfigError);
        assert.match(error.message, message);
        assert.ok(
          !error.message.includes("plaintext-password"),
          "never echoes the configured secret",
        );
        return true;
      });
    });
  }
});
