import assert from "node:assert/strict";
import { AuthError } from "../core/errors.ts";
import { PlainMechanism } from "./plain_mechanism.ts";
import { fromWire } from "./sasl_encoding.ts";

Deno.test("PLAIN sends authzid NUL authcid NUL password (RFC 4616 §2)", async () => {
  const message = await new PlainMechanism().response({
    username: "jürgen",
    password: "pässwörd",
  });
  assert.equal(fromWire(message), "\0jürgen\0pässwörd");
});

Deno.test("PLAIN refuses NUL in a credential and any challenge", async () => {
  const plain = new PlainMechanism();
  await assert.rejects(
    plain.response({ username: "a\0b", password: "p" }),
    (error: unknown) =>
      error instanceof AuthError && error.condition === "invalid-credentials",
  );
  await assert.rejects(
    plain.challenge(),
    (error: unknown) =>
      error instanceof AuthError && error.condition === "unexpected-message",
  );
});
