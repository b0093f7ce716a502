import assert from "node:assert/strict";
import { terminateError } from "./bosh_errors.ts";

Deno.test("terminateError: a §17 condition keeps its name and words", () => {
  const error = terminateError("system-shutdown");
  assert.equal(error.condition, "system-shutdown");
  assert.equal(
    error.message,
    "The chat server is shutting down. Try again in a moment.",
  );
});

Deno.test("terminateError: our own conditions from a server are undefined ones", () => {
  // "unreachable" from the wire must not pass for a network failure (the
  // sign-in would offer the certificate link for a server that answered).
  for (const condition of ["unreachable", "http-error", "toString"]) {
    const error = terminateError(condition);
    assert.equal(error.condition, "undefined-condition");
    assert.equal(
      error.message,
      `The chat server ended the session. (condition: ${condition})`,
    );
  }
});
