import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import {
  createClientFirst,
  createNonce,
  escapeUsername,
  MAX_ITERATIONS,
  MIN_ITERATIONS,
  parseServerFinal,
  parseServerFirst,
} from "./scram_messages.ts";
import type { ScramErrorKind, ScramResult } from "./scram_result.ts";

const NONCE = "fyko+d2lbbFgONRv9qkxdawL";
// Fixed seed: a failure reproduces; ≥ 1,000 cases per property.
const RUNS = fuzzRuns(5802, 2000);

function unwrap<T>(result: ScramResult<T>): T {
  if (!result.ok) assert.fail(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function errorKind<T>(result: ScramResult<T>): ScramErrorKind {
  if (result.ok) assert.fail("expected an error result");
  return result.error.kind;
}

Deno.test("client-first message", async (t) => {
  await t.step("escapes ',' and '=' in the username", () => {
    assert.equal(escapeUsername("a,b=c"), "a=2Cb=3Dc");
    assert.equal(
      unwrap(createClientFirst("a=,b", NONCE)).bare,
      `n=a=3D=2Cb,r=${NONCE}`,
    );
  });

  await t.step("has a fresh printable nonce without ','", () => {
    const a = createNonce();
    assert.notEqual(a, createNonce());
    assert.match(a, /^[\x21-\x2B\x2D-\x7E]{24}$/);
  });

  await t.step("refuses empty or control-laden usernames", () => {
    for (const username of ["", "us\u0000er"]) {
      assert.equal(
        errorKind(createClientFirst(username, NONCE)),
        "invalid-credentials",
      );
    }
  });

  await t.step("refuses a nonce with ','", () => {
    assert.equal(errorKind(createClientFirst("user", "a,b")), "invalid-nonce");
  });
});

Deno.test("server-first message from a hostile server", async (t) => {
  const salt = "s=QSXCR+Q6sek8bf92";
  const cases: Array<[string, string, ScramErrorKind]> = [
    ["wrong nonce prefix", `r=XXXX3rfc,${salt},i=4096`, "invalid-nonce"],
    [
      "nonce with nothing appended",
      `r=${NONCE},${salt},i=4096`,
      "invalid-nonce",
    ],
    [
      "nonce with non-printable characters",
      `r=${NONCE}\u00e9,${salt},i=4096`,
      "invalid-nonce",
    ],
    ["bad base64 salt", `r=${NONCE}abc,s=QSX!R+Q6,i=4096`, "invalid-salt"],
    ["unpadded salt", `r=${NONCE}abc,s=QSXCR+Q,i=4096`, "invalid-salt"],
    ["empty salt", `r=${NONCE}abc,s=,i=4096`, "invalid-salt"],
    ["i=0", `r=${NONCE}abc,${salt},i=0`, "invalid-iteration-count"],
    ["i below 4096", `r=${NONCE}abc,${salt},i=4095`, "invalid-iteration-count"],
    [
      "i above the cap",
      `r=${NONCE}abc,${salt},i=${MAX_ITERATIONS + 1}`,
      "invalid-iteration-count",
    ],
    [
      "i huge",
      `r=${NONCE}abc,${salt},i=${"9".repeat(400)}`,
      "invalid-iteration-count",
    ],
    ["i negative", `r=${NONCE}abc,${salt},i=-4096`, "invalid-iteration-count"],
    [
      "i not a number",
      `r=${NONCE}abc,${salt},i=4096x`,
      "invalid-iteration-count",
    ],
    ["missing salt", `r=${NONCE}abc,i=4096`, "missing-attribute"],
    ["missing nonce", `${salt},i=4096`, "missing-attribute"],
    ["missing iteration count", `r=${NONCE}abc,${salt}`, "missing-attribute"],
    [
      "mandatory extension",
      `m=x,r=${NONCE}abc,${salt},i=4096`,
      "extensions-not-supported",
    ],
    [
      "repeated attribute",
      `r=${NONCE}abc,${salt},i=4096,i=1`,
      "malformed-message",
    ],
    ["empty message", "", "malformed-message"],
    ["not key=value", "hello world", "malformed-message"],
    ["trailing comma", `r=${NONCE}abc,${salt},i=4096,`, "malformed-message"],
  ];
  for (const [name, message, kind] of cases) {
    await t.step(name, () => {
      assert.equal(errorKind(parseServerFirst(message, NONCE)), kind);
    });
  }

  await t.step("reads a valid one and ignores optional extensions", () => {
    const parsed = unwrap(
      parseServerFirst(`r=${NONCE}abc,${salt},i=4096,x=y`, NONCE),
    );
    assert.equal(parsed.nonce, `${NONCE}abc`);
    assert.equal(parsed.iterations, 4096);
    assert.equal(parsed.salt.length, 12);
  });
});

// Found by auth_errors_property_test.ts: a count of 5,000 digits was
// repeated whole in the sign-in form's message.
Deno.test("a huge iteration count is named, not repeated", () => {
  const count = "9".repeat(5_000);
  const result = parseServerFirst(
    `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=${count}`,
    NONCE,
  );
  assert.equal(
    result.ok ? "" : result.error.message,
    `Iteration count 9999999999… is outside 4096..${MAX_ITERATIONS}.`,
  );
});

Deno.test("server-final message", async (t) => {
  await t.step("reads v= and ignores extensions", () => {
    const parsed = unwrap(parseServerFinal("v=AAE=,x=1"));
    assert.deepEqual(parsed.verifier, new Uint8Array([0, 1]));
  });
  await t.step("reports e= from the server", () => {
    const result = parseServerFinal("e=invalid-proof");
    assert.equal(errorKind(result), "server-error");
    assert.match(result.ok ? "" : result.error.message, /invalid-proof/);
  });
  // Found by auth_errors_property_test.ts: e= went into the sign-in form's
  // message as sent, NUL and megabytes included.
  await t.step("repeats e= on one bounded, clean line", () => {
    const result = parseServerFinal(`e=\u0000bad\u202e${"z".repeat(5_000)}`);
    assert.equal(
      result.ok ? "" : result.error.message,
      `Server rejected the exchange: bad${"z".repeat(197)}.`,
    );
  });
  await t.step("rejects garbage", () => {
    for (const message of ["", "v=!!!", "v=AAE", "x=1", ",v=AAE="]) {
      assert.equal(errorKind(parseServerFinal(message)), "malformed-message");
    }
  });
});

// Fragments a server-first or server-final message is made of, right and
// wrong, so that generated messages reach every branch of the parsers and
// not only the first "not key=value" check.
const fragment = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.constantFrom(
    `r=${NONCE}`,
    `r=${NONCE}abc`,
    "r=",
    "s=QSXCR+Q6sek8bf92",
    "s=",
    "s=QSX",
    "i=4096",
    "i=0",
    "i=99999999999999999999",
    `i=${MAX_ITERATIONS}`,
    "m=x",
    "e=invalid-proof",
    "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
    "v=",
    "x=y",
    "=",
    "",
  ),
  fc.tuple(fc.constantFrom("r=", "s=", "i=", "v=", "e="), fc.string()).map(
    ([key, value]) => key + value,
  ),
);
// Nonce tails: mostly printable (RFC 5802 §7), sometimes not.
const printable = fc.string({
  unit: fc.constantFrom("a", "Z", "9", "%", ")", "~", "é"),
});
// r=, s=, i= in their places, each value right or wrong.
const shapedServerFirst = fc.tuple(
  fc.oneof(fc.string(), printable.map((tail) => NONCE + tail)),
  fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 40 }).map((bytes) =>
      btoa(String.fromCharCode(...bytes))
    ),
  ),
  fc.oneof(
    fc.string(),
    fc.integer({ min: -1, max: MAX_ITERATIONS * 2 }).map(String),
  ),
  fc.array(fc.constantFrom("x=y", "i=1", "e", "m=x"), { maxLength: 1 }),
).map(([r, s, i, extensions]) =>
  [`r=${r}`, `s=${s}`, `i=${i}`, ...extensions].join(",")
);
const wireMessage = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(",")),
  shapedServerFirst,
);

Deno.test("parseServerFirst never throws and keeps its promises", () => {
  fc.assert(
    fc.property(wireMessage, (message) => {
      const result = parseServerFirst(message, NONCE);
      if (!result.ok) return typeof result.error.message === "string";
      const { nonce, salt, iterations } = result.value;
      return nonce.startsWith(NONCE) && nonce.length > NONCE.length &&
        salt.length > 0 && iterations >= MIN_ITERATIONS &&
        iterations <= MAX_ITERATIONS && result.value.message === message;
    }),
    RUNS,
  );
});

Deno.test("parseServerFinal never throws and keeps its promises", () => {
  fc.assert(
    fc.property(wireMessage, (message) => {
      const result = parseServerFinal(message);
      if (!result.ok) return typeof result.error.message === "string";
      return message.startsWith("v=") &&
        result.value.verifier instanceof Uint8Array;
    }),
    RUNS,
  );
});
