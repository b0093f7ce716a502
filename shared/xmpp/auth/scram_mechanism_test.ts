import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { ScramServer } from "../../../tests/support/scram_server.ts";
import { AuthError } from "../core/errors.ts";
import type { SaslMechanism } from "./mechanism.ts";
import { fromWire, toWire } from "./sasl_encoding.ts";
import {
  ScramSha1Mechanism,
  ScramSha256Mechanism,
  ScramSha512Mechanism,
} from "./scram_mechanism.ts";

const RUNS = fuzzRuns(7677);
const CREDENTIALS = { username: "jür,gen", password: "pässwörd" };

function read(binary: string): string {
  const text = fromWire(binary);
  assert.ok(text !== null);
  return text;
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => assert.fail("expected a rejection"),
    (error: unknown) => error,
  );
  assert.ok(error instanceof AuthError, `not an AuthError: ${error}`);
  return error;
}

// Runs the mechanism up to its client-final against ScramServer; gives the
// server-final the server would send.
async function toServerFinal(
  mechanism: SaslMechanism,
  server: ScramServer,
): Promise<string> {
  const serverFirst = server.first(read(await mechanism.response(CREDENTIALS)));
  assert.equal(await mechanism.challenge(toWire(serverFirst)), mechanism);
  const serverFinal = server.final(read(await mechanism.response(CREDENTIALS)));
  assert.ok(serverFinal, "the server refused the client's proof");
  return serverFinal;
}

Deno.test("each SCRAM mechanism signs in against node:crypto", async (t) => {
  const cases = [
    [ScramSha512Mechanism, "SHA-512"],
    [ScramSha256Mechanism, "SHA-256"],
    [ScramSha1Mechanism, "SHA-1"],
  ] as const;
  for (const [Mechanism, hash] of cases) {
    await t.step(`${Mechanism.prototype.name}, v= in <success/>`, async () => {
      const mechanism = new Mechanism();
      const server = new ScramServer(hash, CREDENTIALS.password);
      const serverFinal = await toServerFinal(mechanism, server);
      assert.equal(server.username, CREDENTIALS.username);
      assert.equal(mechanism.checkSuccess(toWire(serverFinal)), null);
      assert.equal(mechanism.checkSuccess(""), null);
    });

    await t.step(`${Mechanism.prototype.name}, v= in a challenge`, async () => {
      const mechanism = new Mechanism();
      const server = new ScramServer(hash, CREDENTIALS.password);
      const serverFinal = await toServerFinal(mechanism, server);
      // RFC 6120 §6.3.10: verified, then an empty response, then <success/>.
      assert.equal(await mechanism.challenge(toWire(serverFinal)), mechanism);
      assert.equal(await mechanism.response(CREDENTIALS), "");
      assert.equal(mechanism.checkSuccess(""), null);
    });
  }
});

Deno.test("a SCRAM mechanism refuses what comes out of order", async (t) => {
  await t.step("a challenge before the client-first", async () => {
    const error = await rejection(new ScramSha512Mechanism().challenge("r=x"));
    assert.equal(error.condition, "unexpected-message");
  });

  await t.step("a second response without a challenge", async () => {
    const mechanism = new ScramSha512Mechanism();
    await mechanism.response(CREDENTIALS);
    const error = await rejection(mechanism.response(CREDENTIALS));
    assert.equal(error.condition, "unexpected-message");
  });

  await t.step("<success/> before the proof", async () => {
    const mechanism = new ScramSha256Mechanism();
    await mechanism.response(CREDENTIALS);
    assert.equal(
      mechanism.checkSuccess("")?.condition,
      "incomplete-exchange",
    );
  });

  await t.step("<success/> without v=", async () => {
    const mechanism = new ScramSha1Mechanism();
    await toServerFinal(mechanism, new ScramServer("SHA-1", "pässwörd"));
    assert.equal(
      mechanism.checkSuccess("")?.condition,
      "server-signature-missing",
    );
  });

  await t.step("an empty username", async () => {
    const error = await rejection(
      new ScramSha512Mechanism().response({ username: "", password: "p" }),
    );
    assert.equal(error.condition, "invalid-credentials");
  });
});

Deno.test("no server-first challenge makes a SCRAM mechanism throw", async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: "binary" }), async (data) => {
      const mechanism = new ScramSha512Mechanism();
      await mechanism.response(CREDENTIALS);
      const outcome = await mechanism.challenge(data).then(
        (value) => value,
        (error: unknown) => error,
      );
      return outcome === mechanism || outcome instanceof AuthError;
    }),
    RUNS,
  );
});

Deno.test("only the right server-final verifies", async () => {
  const mechanism = new ScramSha512Mechanism();
  const serverFinal = await toServerFinal(
    mechanism,
    new ScramServer("SHA-512", CREDENTIALS.password),
  );
  const notTheSignature = fc.oneof(
    fc.string({ unit: "binary" }),
    fc.string().map((text) => toWire(`v=${text}`)),
    fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) =>
      toWire(`v=${btoa(String.fromCharCode(...bytes))}`)
    ),
  ).filter((data) => data !== "" && data !== toWire(serverFinal));
  fc.assert(
    fc.property(
      notTheSignature,
      (data) => mechanism.checkSuccess(data) instanceof AuthError,
    ),
    RUNS,
  );
  assert.equal(mechanism.checkSuccess(toWire(serverFinal)), null);
});
