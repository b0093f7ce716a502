import assert from "node:assert/strict";
import {
  checkFileUrl,
  isLoopbackHost,
  plainHttpAllowedBeside,
} from "./file_url.ts";

Deno.test("checkFileUrl", async (t) => {
  await t.step("https, normalised", () => {
    assert.deepEqual(
      checkFileUrl(" https://H.Example:443/a%20b?x=1 ", false),
      {
        ok: true,
        href: "https://h.example/a%20b?x=1",
      },
    );
  });
  await t.step("plain http only when allowed, loopback too", () => {
    for (const http of ["http://h.example/x", "http://localhost:5280/x"]) {
      assert.deepEqual(checkFileUrl(http, false), {
        ok: false,
        problem: "insecure",
      });
      assert.ok(checkFileUrl(http, true).ok);
    }
  });
  await t.step("refusals", () => {
    const cases: [string | undefined, string][] = [
      [undefined, "malformed"],
      ["", "malformed"],
      ["https://h.example/a b", "malformed"],
      ["https://h.example/\u0000", "malformed"],
      ["https://h.example/\u0085", "malformed"],
      ["https://[::1", "malformed"],
      ["ftp://h.example/x", "scheme"],
      ["javascript:alert(1)", "scheme"],
      ["https://u:p@h.example/", "credentials"],
      ["https://u@h.example/", "credentials"],
      [`https://h.example/${"a".repeat(2100)}`, "too-long"],
    ];
    for (const [raw, problem] of cases) {
      assert.deepEqual(
        checkFileUrl(raw, true),
        { ok: false, problem },
        String(raw),
      );
    }
  });
});

Deno.test("isLoopbackHost", () => {
  for (
    const host of [
      "localhost",
      "LOCALHOST",
      "a.localhost",
      "127.0.0.1",
      "127.9.8.7",
      "[::1]",
    ]
  ) {
    assert.ok(isLoopbackHost(host), host);
  }
  for (
    const host of [
      "localhost.example",
      "128.0.0.1",
      "127.0.0.1.example",
      "[::2]",
    ]
  ) {
    assert.ok(!isLoopbackHost(host), host);
  }
});

Deno.test("plainHttpAllowedBeside", () => {
  assert.ok(plainHttpAllowedBeside("http://imp.example:5280/http-bind"));
  assert.ok(plainHttpAllowedBeside("ws://imp.example:5280/ws"));
  assert.ok(plainHttpAllowedBeside("wss://127.0.0.1:5281/ws"));
  assert.ok(!plainHttpAllowedBeside("https://imp.example/http-bind"));
  assert.ok(!plainHttpAllowedBeside("wss://imp.example/ws"));
  assert.ok(!plainHttpAllowedBeside("not a url"));
});
