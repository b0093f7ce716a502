import assert from "node:assert/strict";
import { ParseError } from "./errors.ts";
import { type Jid, parseBareJid, parseJid } from "./jid_parse.ts";

Deno.test("parseJid (RFC 7622)", async (t) => {
  await t.step("splits and lower-cases local and domain, not resource", () => {
    assert.deepEqual(parseJid("Bob@Example.COM./Desk Phone"), {
      local: "bob",
      domain: "example.com",
      resource: "Desk Phone",
      bare: "bob@example.com",
    });
    assert.deepEqual(parseJid("example.com"), {
      local: undefined,
      domain: "example.com",
      resource: undefined,
      bare: "example.com",
    });
    // RFC 7622 §3.1: the resource may hold "@" and "/".
    assert.equal((parseJid("a@b/c@d/e") as Jid).resource, "c@d/e");
    assert.equal((parseJid("a@[::1]") as Jid).domain, "[::1]");
  });

  await t.step("refuses what RFC 7622 forbids, never throws", () => {
    for (
      const input of [
        undefined,
        42,
        "",
        "@b",
        "a@",
        "a@b/",
        "a b@c",
        "a@b c",
        'a"@b',
        "a@b\u0007",
        "a@b:5222",
        "x".repeat(1024) + "@b",
        "a@" + "é".repeat(600),
        "a@b/" + "r".repeat(1024),
        "x".repeat(1_000_000),
      ]
    ) {
      assert.ok(
        parseJid(input) instanceof ParseError,
        String(input).slice(0, 20),
      );
    }
  });

  await t.step(
    "each part holds at most 1023 bytes of UTF-8 (RFC 7622 §3)",
    () => {
      // "€" is 3 bytes in UTF-8: 341 of them are 1023 bytes, 342 are 1026.
      for (
        const [part, fits] of [
          ["€".repeat(341), true],
          ["€".repeat(342), false],
          ["é".repeat(511), true],
          ["é".repeat(512), false],
          ["😀".repeat(255), true],
          ["😀".repeat(256), false],
        ] as const
      ) {
        for (const input of [`${part}@b`, `a@b/${part}`]) {
          assert.equal(
            !(parseJid(input) instanceof ParseError),
            fits,
            `${input.length} code units`,
          );
        }
      }
    },
  );

  await t.step("parseBareJid refuses a resource", () => {
    assert.equal(parseBareJid("A@B"), "a@b");
    assert.ok(parseBareJid("a@b/r") instanceof ParseError);
  });
});
