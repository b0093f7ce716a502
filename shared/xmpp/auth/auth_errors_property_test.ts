// Property test of the sign-in errors a hostile server can cause: whatever
// it puts in a SCRAM server-first or server-final message (RFC 5802 §7) or
// in a SASL <failure/> condition and text (RFC 6120 §6.5), building the
// AuthError never throws, and its message, which the sign-in form shows,
// carries the server's words bounded and without control characters or
// bidi overrides that could reorder the sentence around them.
import assert from "node:assert/strict";
import fc from "fast-check";
import { AuthError } from "../core/errors.ts";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import {
  hostileText,
  hugeText,
} from "../../../tests/support/stanza_arbitrary.ts";
import { authErrorFromCondition, scramAuthError } from "./auth_errors.ts";
import { parseServerFinal, parseServerFirst } from "./scram_messages.ts";

const NONCE = "fyko+d2lbbFgONRv9qkxdawL";
/** Longest fixed wording plus the bounded server words, with room. */
const MAX_MESSAGE = 700;
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

const serverWords = fc.oneof(
  { weight: 6, arbitrary: hostileText },
  { weight: 1, arbitrary: hugeText },
);

const scramMessage = fc.oneof(
  fc.tuple(fc.constantFrom("e=", "v=", ""), serverWords).map(([key, value]) =>
    key + value
  ),
  fc.tuple(
    serverWords,
    fc.oneof(fc.constant("c2FsdA=="), serverWords),
    fc.oneof(
      fc.constantFrom("4096", "1", "0".repeat(40), "9".repeat(5_000)),
      serverWords,
    ),
  ).map(([tail, salt, count]) => `r=${NONCE}${tail},s=${salt},i=${count}`),
  fc.string({ unit: "binary", maxLength: 80 }),
);

function assertShowable(error: AuthError): void {
  assert.ok(error instanceof AuthError);
  assert.ok(
    error.message.length <= MAX_MESSAGE,
    `${error.message.length} chars`,
  );
  assert.doesNotMatch(error.message, UNSAFE);
}

Deno.test("SCRAM server messages: the AuthError shown is bounded and clean", () => {
  fc.assert(
    fc.property(scramMessage, (message) => {
      for (
        const result of [
          parseServerFirst(message, NONCE),
          parseServerFinal(message),
        ]
      ) {
        if (!result.ok) assertShowable(scramAuthError(result.error));
      }
    }),
    fuzzRuns(5802_0001),
  );
});

Deno.test("SASL <failure/>: the AuthError shown is bounded and clean", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.constantFrom(
          "not-authorized",
          "account-disabled",
          "toString",
          "__proto__",
        ),
        serverWords,
      ),
      fc.option(serverWords, { nil: undefined }),
      (condition, text) => {
        const error = authErrorFromCondition(condition, text);
        assertShowable(error);
        assert.equal(error.condition, condition);
      },
    ),
    fuzzRuns(6120_0651),
  );
});
