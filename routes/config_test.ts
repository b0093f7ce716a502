import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

function assertConfigError(
  run: () => unknown,
  setting: string,
  message: RegExp,
): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(
      error instanceof ConfigError,
      `expected a ConfigError, got ${error}`,
    );
    assert.equal(error.setting, setting);
    assert.match(error.message, message);
    return true;
  });
}

Deno.test("loadConfig", async (t) => {
  await t.step("has defaults for an empty environment", () => {
    const config = loadConfig({});
    assert.equal(config.port, 8000);
    assert.equal(config.hostname, "0.0.0.0");
    assert.deepEqual(config.frameAncestors, ["'self'"]);
    assert.equal(config.publicOrigin, undefined);
    assert.equal(config.build, "auto");
    assert.equal(config.xmppDomain, undefined);
    assert.match(config.staticDir, /\/static$/);
    assert.match(config.distDir, /\/static\/dist$/);
  });

  await t.step("reads every setting", () => {
    const config = loadConfig({
      PORT: "0",
      DESKTOP_CHAT_HOSTNAME: "127.0.0.1",
      DESKTOP_CHAT_FRAME_ANCESTORS:
        " 'self'  https://finesse.example.com:8445,https://*.example.org https: ",
      DESKTOP_CHAT_PUBLIC_ORIGIN: "https://Chat.Example.com:443/",
      DESKTOP_CHAT_BUILD: "never",
    });
    assert.equal(config.port, 0);
    assert.equal(config.hostname, "127.0.0.1");
    assert.deepEqual(config.frameAncestors, [
      "'self'",
      "https://finesse.example.com:8445",
      "https://*.example.org",
      "https:",
    ]);
    assert.equal(config.publicOrigin, "https://chat.example.com");
    assert.equal(config.build, "never");
  });

  await t.step(
    "lets --build and --no-build override DESKTOP_CHAT_BUILD",
    () => {
      assert.equal(
        loadConfig({ DESKTOP_CHAT_BUILD: "never" }, ["--build"]).build,
        "always",
      );
      assert.equal(loadConfig({}, ["--no-build"]).build, "never");
      assertConfigError(
        () => loadConfig({}, ["--watch"]),
        "arguments",
        /unknown argument "--watch"/,
      );
      assertConfigError(
        () => loadConfig({}, ["constructor"]),
        "arguments",
        /unknown argument/,
      );
    },
  );

  await t.step("rejects bad ports", () => {
    for (const port of ["abc", "-1", "65536", "80.5", " 80", "1e3"]) {
      assertConfigError(
        () => loadConfig({ PORT: port }),
        "PORT",
        /expected an integer from 0 to 65535/,
      );
    }
  });

  await t.step("rejects a hostname with spaces", () => {
    assertConfigError(
      () => loadConfig({ DESKTOP_CHAT_HOSTNAME: "local host" }),
      "DESKTOP_CHAT_HOSTNAME",
      /expected a host name/,
    );
  });

  await t.step("rejects bad frame-ancestors sources with a hint", () => {
    const setting = "DESKTOP_CHAT_FRAME_ANCESTORS";
    const load = (value: string) => () => loadConfig({ [setting]: value });
    assertConfigError(load("  "), setting, /is empty; use 'none'/);
    assertConfigError(
      load("self https://finesse.example.com"),
      setting,
      /write 'self' with single quotes/,
    );
    assertConfigError(
      load("'none' 'self'"),
      setting,
      /'none' cannot be combined/,
    );
    assertConfigError(
      load("'unsafe-inline'"),
      setting,
      /"'unsafe-inline'" is not a frame-ancestors source/,
    );
    assertConfigError(
      load("https://a.example.com;script-src"),
      setting,
      /not a frame-ancestors source/,
    );
    assertConfigError(
      load('https://exa mple.com"x'),
      setting,
      /not a frame-ancestors source/,
    );
    assert.deepEqual(loadConfig({ [setting]: "'none'" }).frameAncestors, [
      "'none'",
    ]);
  });

  await t.step(
    "rejects a public origin that is not a bare http(s) origin",
    () => {
      const setting = "DESKTOP_CHAT_PUBLIC_ORIGIN";
      assertConfigError(
        () => loadConfig({ [setting]: "chat.example.com" }),
        setting,
        /is not a URL/,
      );
      assertConfigError(
        () => loadConfig({ [setting]: "ftp://chat.example.com" }),
        setting,
        /http: or https:/,
      );
      assertConfigError(
        () => loadConfig({ [setting]: "https://chat.example.com/chat" }),
        setting,
        /without path, query or credentials \(such as https:\/\/chat\.example\.com\)/,
      );
    },
  );

  await t.step("rejects an unknown build mode", () => {
    assertConfigError(
      () => loadConfig({ DESKTOP_CHAT_BUILD: "sometimes" }),
      "DESKTOP_CHAT_BUILD",
      /expected one of auto, always, never, got "sometimes"/,
    );
  });

  await t.step(
    "reads the XMPP domain and refuses anything but a domain",
    () => {
      assert.equal(
        loadConfig({ DESKTOP_CHAT_XMPP_DOMAIN: " Example.COM " }).xmppDomain,
        "example.com",
      );
      for (
        const bad of ["alice@example.com", "example.com/desk", "a b", "<x>"]
      ) {
        assertConfigError(
          () => loadConfig({ DESKTOP_CHAT_XMPP_DOMAIN: bad }),
          "DESKTOP_CHAT_XMPP_DOMAIN",
          /is not an XMPP domain such as example\.com/,
        );
      }
    },
  );
});
