import assert from "node:assert/strict";
import { Hono } from "hono";
import { HostPolicy, parseAllowedHosts } from "./host_policy.ts";
import { AdminAuthConfigError } from "./setting_parsers.ts";

/** What `policy.trustedOrigin` says for a request to `url`. */
async function trusted(
  policy: HostPolicy,
  url: string,
): Promise<string | null> {
  const app = new Hono().get(
    "*",
    (c) => c.json({ origin: policy.trustedOrigin(c) ?? null }),
  );
  return (await (await app.request(url)).json()).origin;
}

Deno.test("parseAllowedHosts", async (t) => {
  await t.step("host names, ports and IP addresses, in one spelling", () => {
    assert.deepEqual(
      parseAllowedHosts({
        DESKTOP_CHAT_ALLOWED_HOSTS:
          " Chat.Example.COM,chat.internal:08000  10.0.0.7 [::1]:8443 ",
      }),
      ["chat.example.com", "chat.internal:8000", "10.0.0.7", "[::1]:8443"],
    );
    assert.deepEqual(parseAllowedHosts({}), []);
  });
  for (
    const bad of [
      "https://chat.example.com",
      "chat.example.com/admin",
      "admin@chat.example.com",
      "chat.example.com:70000",
      "chat..example.com:x",
    ]
  ) {
    await t.step(`refuses ${JSON.stringify(bad)}`, () => {
      assert.throws(
        () => parseAllowedHosts({ DESKTOP_CHAT_ALLOWED_HOSTS: bad }),
        (error: unknown) =>
          error instanceof AdminAuthConfigError &&
          error.setting === "DESKTOP_CHAT_ALLOWED_HOSTS",
      );
    });
  }
});

Deno.test("HostPolicy.trustedOrigin", async (t) => {
  const listed = new HostPolicy(
    ["chat.example.com", "chat.internal:8000", "[::1]:8443"],
    false,
  );
  await t.step("a listed host without a port: any port", async () => {
    assert.equal(
      await trusted(listed, "https://chat.example.com/x"),
      "https://chat.example.com",
    );
    assert.equal(
      await trusted(listed, "http://CHAT.example.com:8080/x"),
      "http://chat.example.com:8080",
    );
  });
  await t.step("a listed host with a port: that port only", async () => {
    assert.equal(
      await trusted(listed, "http://chat.internal:8000/x"),
      "http://chat.internal:8000",
    );
    assert.equal(await trusted(listed, "http://chat.internal/x"), null);
    assert.equal(
      await trusted(listed, "https://[::1]:8443/x"),
      "https://[::1]:8443",
    );
  });
  await t.step("anything else, loopback included, is not", async () => {
    for (
      const url of [
        "http://evil.example:8000/x",
        "http://chat.example.com.evil.example/x",
        "http://localhost:8000/x",
        "http://127.0.0.1/x",
      ]
    ) {
      assert.equal(await trusted(listed, url), null, url);
    }
  });
  await t.step("dev mode adds loopback names", async () => {
    const dev = new HostPolicy([], true);
    for (
      const origin of [
        "http://localhost:8000",
        "http://app.localhost",
        "http://127.0.0.2:9",
        "http://[::1]:8000",
      ]
    ) {
      assert.equal(await trusted(dev, `${origin}/x`), origin);
    }
    for (
      const url of [
        "http://localhost.evil.example/x",
        "http://127.0.0.1.evil.example/x",
        "http://10.0.0.7/x",
      ]
    ) {
      assert.equal(await trusted(dev, url), null, url);
    }
  });
});
