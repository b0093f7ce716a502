import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parsePasswordHash, verifyPassword } from "../routes/password_hash.ts";

const SCRIPT = fileURLToPath(new URL("./hash_password.ts", import.meta.url));

async function run(
  stdin: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", SCRIPT, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

Deno.test("scripts/hash_password.ts", async (t) => {
  await t.step(
    "hashes the password from stdin and prints only the line on stdout",
    async () => {
      const result = await run("correct horse battery staple\n", [
        "--iterations=100000",
      ]);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.split("\n");
      assert.deepEqual(lines.slice(1), [""], "one line");
      assert.equal(
        await verifyPassword(
          "correct horse battery staple",
          parsePasswordHash(lines[0]),
        ),
        true,
      );
      assert.match(
        result.stderr,
        /DESKTOP_CHAT_ADMIN_PASSWORD_HASH='pbkdf2-sha256\$/,
      );
    },
  );
  await t.step("uses the default cost without arguments", async () => {
    const result = await run("correct horse battery staple");
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^pbkdf2-sha256\$600000\$/);
  });
  await t.step("warns about a short password", async () => {
    const result = await run("short", ["--iterations=100000"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /under 12 characters/);
  });
  for (
    const [name, stdin, args, message] of [
      ["an empty password", "\n", [], /empty/],
      ["two lines", "one\ntwo\n", [], /single line/],
      [
        "an unknown argument",
        "password-long-enough",
        ["--rounds=5"],
        /unknown argument/,
      ],
      [
        "too few iterations",
        "password-long-enough",
        ["--iterations=5"],
        /iteration count/,
      ],
    ] as const
  ) {
    await t.step(`refuses ${name}`, async () => {
      const result = await run(stdin, [...args]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.match(result.stderr, message);
    });
  }
});
