import assert from "node:assert/strict";
import { AuthError } from "../core/errors.ts";
import { authErrorFromCondition, scramAuthError } from "./auth_errors.ts";

Deno.test("authErrorFromCondition", async (t) => {
  // RFC 6120 §6.5.1-§6.5.11.
  const conditions = [
    "aborted",
    "account-disabled",
    "credentials-expired",
    "encryption-required",
    "incorrect-encoding",
    "invalid-authzid",
    "invalid-mechanism",
    "malformed-request",
    "mechanism-too-weak",
    "not-authorized",
    "temporary-auth-failure",
  ];
  for (const condition of conditions) {
    await t.step(condition, () => {
      const error = authErrorFromCondition(condition);
      assert.ok(error instanceof AuthError);
      assert.equal(error.condition, condition);
      assert.equal(error.kind, "auth");
      assert.doesNotMatch(error.message, /refused sign-in/);
    });
  }

  await t.step("keeps the server's text", () => {
    const error = authErrorFromCondition("account-disabled", "Call Bob");
    assert.equal(error.text, "Call Bob");
    assert.match(error.message, /disabled.*"Call Bob"/);
  });

  // Found by auth_errors_property_test.ts: the text went into the sign-in
  // form's message as sent, NUL, bidi overrides and megabytes included.
  await t.step("shows the server's text on one bounded, clean line", () => {
    const error = authErrorFromCondition(
      "not-authorized",
      "\u0000Call \u202eBob\n" + "x".repeat(10_000),
    );
    assert.match(error.message, /said: "Call Bob x{191}"$/);
    assert.equal(
      authErrorFromCondition("\u202eevil" + "y".repeat(100)).message,
      `The chat server refused sign-in (evil${"y".repeat(60)}).`,
    );
  });

  await t.step(
    "names an unknown condition, even one named like a key of every object",
    () => {
      for (const condition of ["bad-protocol", "constructor", "__proto__"]) {
        const error = authErrorFromCondition(condition);
        assert.equal(
          error.message,
          `The chat server refused sign-in (${condition}).`,
        );
      }
    },
  );
});

Deno.test("scramAuthError tells the agent what to do", () => {
  const mismatch = scramAuthError({
    kind: "server-signature-mismatch",
    message: "x",
  });
  assert.equal(mismatch.condition, "server-signature-mismatch");
  assert.match(mismatch.message, /intercepted/);
  const credentials = scramAuthError({
    kind: "invalid-credentials",
    message: "Password is empty.",
  });
  assert.match(credentials.message, /^Password is empty\. Check the/);
  const malformed = scramAuthError({
    kind: "invalid-salt",
    message: "Salt is empty",
  });
  assert.equal(malformed.condition, "invalid-salt");
  assert.match(malformed.message, /invalid SCRAM message \(Salt is empty\)/);
});
