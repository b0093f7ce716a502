import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";
import { CSP_CONNECT_SRC_ENV, parseCspConnectSrc } from "./csp_config.ts";

Deno.test("DESKTOP_CHAT_CSP_CONNECT_SRC lists chat-server origins", () => {
  assert.deepEqual(parseCspConnectSrc(undefined), []);
  assert.deepEqual(parseCspConnectSrc(" "), []);
  assert.deepEqual(
    parseCspConnectSrc(
      "wss://IMP2.example.com:7443, https://*.imp.example.com:* http://[::1]:5280/ ws://imp3 wss://imp2.example.com:7443",
    ),
    [
      "wss://imp2.example.com:7443",
      "https://*.imp.example.com:*",
      "http://[::1]:5280",
      "ws://imp3",
    ],
    "lower-cased, trailing slash dropped, duplicates once",
  );
  assert.deepEqual(
    loadConfig({ [CSP_CONNECT_SRC_ENV]: "wss://imp2.example.com" })
      .cspConnectSrc,
    ["wss://imp2.example.com"],
  );
  assert.deepEqual(loadConfig({}).cspConnectSrc, []);
});

Deno.test("DESKTOP_CHAT_CSP_CONNECT_SRC refuses what is not one node's origin", () => {
  for (
    const bad of [
      "https:",
      "*",
      "'self'",
      "'unsafe-inline'",
      "imp.example.com",
      "ftp://imp.example.com",
      "https://imp.example.com/http-bind",
      "https://imp.example.com:0",
      "https://imp.example.com:70000",
      "https://user@imp.example.com",
      "https://imp.example.com?x",
      "https://imp.example.com;script-src",
      "https://*",
      "https://imp.*.example.com",
    ]
  ) {
    assert.throws(
      () => parseCspConnectSrc(`wss://ok.example.com ${bad}`),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.setting === CSP_CONNECT_SRC_ENV &&
        error.message.includes(JSON.stringify(bad)),
      bad,
    );
  }
});
