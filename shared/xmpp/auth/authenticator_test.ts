import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { signIn, utf8ToBase64 } from "../../../tests/support/sasl_exchange.ts";
import { AuthError } from "../core/errors.ts";
import { createAuthenticator } from "./authenticator.ts";

function assertAuthError(value: unknown, condition: string): AuthError {
  assert.ok(value instanceof AuthError, `expected AuthError, got ${value}`);
  assert.equal(value.condition, condition);
  return value;
}

// ejabberd 23.01 offers these (issue 12); Prosody 0.12 one SCRAM and PLAIN.
const EJABBERD = ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1", "PLAIN"];

Deno.test("SCRAM through @xmpp/sasl", async (t) => {
  for (const name of ["SCRAM-SHA-512", "SCRAM-SHA-256", "SCRAM-SHA-1"]) {
    const offered = EJABBERD.slice(EJABBERD.indexOf(name));
    await t.step(`[${offered}]: ${name}, v= in <success/>`, async () => {
      const outcome = await signIn({ offered, secure: false });
      assert.equal(outcome.error, null);
      assert.ok(outcome.restarted);
      assert.equal(outcome.mechanism, name);
      assert.equal(outcome.authenticator.lastMechanism, name);
      assert.deepEqual(outcome.sent, ["auth", "response"]);
    });

    await t.step(`${name}, v= in a challenge (RFC 6120 §6.3.10)`, async () => {
      const outcome = await signIn({
        offered: [name],
        secure: false,
        behaviour: "final-in-challenge",
      });
      assert.equal(outcome.error, null);
      assert.deepEqual(outcome.sent, ["auth", "response", "response"]);
      assert.equal(outcome.authenticator.verifySuccess(""), null);
    });

    await t.step(
      `${name}, a wrong server signature stops sign-in`,
      async () => {
        const outcome = await signIn({
          offered: [name],
          secure: true,
          behaviour: "wrong-signature",
        });
        assertAuthError(outcome.error, "server-signature-mismatch");
        assert.equal(outcome.restarted, false);
      },
    );
  }

  await t.step("a server that skips the proof is refused", async () => {
    const outcome = await signIn({
      offered: EJABBERD,
      secure: true,
      behaviour: "skip-proof",
    });
    assertAuthError(outcome.error, "incomplete-exchange");
    assert.equal(outcome.restarted, false);
  });

  await t.step("a server that sends no signature is refused", async () => {
    const outcome = await signIn({
      offered: ["SCRAM-SHA-1"],
      secure: true,
      behaviour: "no-signature",
    });
    assertAuthError(outcome.error, "server-signature-missing");
    assert.equal(outcome.restarted, false);
  });

  await t.step("a challenge that is not base64 is an AuthError", async () => {
    const outcome = await signIn({
      offered: EJABBERD,
      secure: true,
      behaviour: "challenge-not-base64",
    });
    assertAuthError(outcome.error, "incorrect-encoding");
  });

  await t.step("a wrong password gives not-authorized", async () => {
    const outcome = await signIn({
      offered: EJABBERD,
      secure: true,
      serverPassword: "another",
    });
    const error = assertAuthError(outcome.error, "not-authorized");
    assert.equal(error.message, "Wrong username or password.");
  });

  await t.step("non-ASCII and escaped usernames survive the wire", async () => {
    const outcome = await signIn({
      offered: EJABBERD,
      secure: false,
      username: "jür,gen=1",
      password: "pässwörd",
    });
    assert.equal(outcome.error, null);
    assert.equal(outcome.server?.username, "jür,gen=1");
  });
});

Deno.test("PLAIN through @xmpp/sasl", async (t) => {
  await t.step("sent on a secure connection", async () => {
    const outcome = await signIn({
      offered: ["PLAIN"],
      secure: true,
      username: "jürgen",
      password: "pässwörd",
    });
    assert.equal(outcome.error, null);
    assert.equal(outcome.plain, "\0jürgen\0pässwörd");
    assert.equal(outcome.authenticator.lastMechanism, "PLAIN");
    assert.equal(outcome.authenticator.verifySuccess(""), null);
  });

  await t.step("never sent on an insecure connection", async () => {
    const outcome = await signIn({ offered: ["PLAIN"], secure: false });
    assertAuthError(outcome.error, "insecure-plain");
    assert.deepEqual(outcome.sent, []);
    assert.equal(outcome.authenticator.lastMechanism, null);
  });
});

Deno.test("verifySuccess reads the <success/> text", async (t) => {
  await t.step("before any exchange", () => {
    const authenticator = createAuthenticator({ username: "u", password: "p" });
    assertAuthError(authenticator.verifySuccess(""), "incomplete-exchange");
    assert.equal(authenticator.lastMechanism, null);
  });

  const outcome = await signIn({ offered: EJABBERD, secure: true });
  const { verifySuccess } = outcome.authenticator;

  await t.step("after a verified exchange", () => {
    assert.equal(verifySuccess(""), null);
    assert.equal(verifySuccess("="), null);
    const wrong = utf8ToBase64(
      "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
    );
    assertAuthError(verifySuccess(wrong), "server-signature-mismatch");
    assertAuthError(verifySuccess(utf8ToBase64("e=other")), "server-error");
    assertAuthError(verifySuccess("!!!"), "incorrect-encoding");
  });

  await t.step("never throws on what a server sends", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary" }),
          fc.string({ unit: "binary" }).map((text) => utf8ToBase64(text)),
        ),
        (text) => {
          const result = verifySuccess(text);
          return result === null || result instanceof AuthError;
        },
      ),
      fuzzRuns(6120),
    );
  });
});
