import assert from "node:assert/strict";
import {
  DEFAULT_ITERATIONS,
  hashPassword,
  MIN_ITERATIONS,
  parsePasswordHash,
  PasswordHashError,
  timingSafeEqual,
  verifyPassword,
} from "./password_hash.ts";

Deno.test("hashPassword and verifyPassword", async (t) => {
  const line = await hashPassword("correct horse battery staple", {
    iterations: MIN_ITERATIONS,
  });

  await t.step("the line describes itself", () => {
    assert.match(
      line,
      /^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/,
    );
  });
  await t.step("the right password verifies, others do not", async () => {
    const parsed = parsePasswordHash(line);
    assert.equal(
      await verifyPassword("correct horse battery staple", parsed),
      true,
    );
    assert.equal(
      await verifyPassword("correct horse battery stapl", parsed),
      false,
    );
    assert.equal(await verifyPassword("", parsed), false);
  });
  await t.step("each hash has its own salt", async () => {
    assert.notEqual(
      await hashPassword("same", { iterations: MIN_ITERATIONS }),
      await hashPassword("same", { iterations: MIN_ITERATIONS }),
    );
  });
  await t.step(
    "composed and decomposed accents are the same password",
    async () => {
      const parsed = parsePasswordHash(
        await hashPassword("caf\u00e9", { iterations: MIN_ITERATIONS }),
      );
      assert.equal(await verifyPassword("cafe\u0301", parsed), true);
    },
  );
  await t.step("the default cost", async () => {
    assert.equal(
      parsePasswordHash(await hashPassword("x")).iterations,
      DEFAULT_ITERATIONS,
    );
  });
  await t.step("too few iterations are refused", async () => {
    await assert.rejects(
      hashPassword("x", { iterations: 1000 }),
      PasswordHashError,
    );
  });
});

Deno.test("parsePasswordHash refuses malformed lines without echoing them", async (t) => {
  const good = await hashPassword("pw", { iterations: MIN_ITERATIONS });
  const [, , salt, hash] = good.split("$");
  const cases: [string, string, RegExp][] = [
    ["empty", "", /expected pbkdf2-sha256/],
    [
      "another scheme",
      `bcrypt$100000$${salt}$${hash}`,
      /expected pbkdf2-sha256/,
    ],
    ["too few parts", `pbkdf2-sha256$100000$${salt}`, /expected pbkdf2-sha256/],
    [
      "too few iterations",
      `pbkdf2-sha256$1000$${salt}$${hash}`,
      /iteration count/,
    ],
    [
      "too many iterations",
      `pbkdf2-sha256$999999999$${salt}$${hash}`,
      /iteration count/,
    ],
    [
      "non-numeric iterations",
      `pbkdf2-sha256$lots$${salt}$${hash}`,
      /iteration count/,
    ],
    [
      "a salt that is not base64",
      `pbkdf2-sha256$100000$not base64!$${hash}`,
      /salt is not base64/,
    ],
    [
      "a short salt",
      `pbkdf2-sha256$100000$AAAA$${hash}`,
      /salt must be at least 16 bytes/,
    ],
    [
      "a short hash",
      `pbkdf2-sha256$100000$${salt}$AAAA`,
      /hash must be 32 bytes/,
    ],
  ];
  for (const [name, line, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => parsePasswordHash(line), (error: unknown) => {
        assert.ok(error instanceof PasswordHashError);
        assert.match(error.message, message);
        if (salt !== undefined) assert.ok(!error.message.includes(salt));
        return true;
      });
    });
  }
  await t.step("surrounding whitespace from an env file is tolerated", () => {
    assert.equal(parsePasswordHash(` ${good}\n`).iterations, MIN_ITERATIONS);
  });
});

Deno.test("timingSafeEqual", () => {
  assert.equal(
    timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3)),
    true,
  );
  assert.equal(
    timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4)),
    false,
  );
  assert.equal(
    timingSafeEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2)),
    false,
  );
  assert.equal(timingSafeEqual(Uint8Array.of(), Uint8Array.of(1)), false);
  assert.equal(timingSafeEqual(Uint8Array.of(), Uint8Array.of()), true);
});
