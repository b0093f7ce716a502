import assert from "node:assert/strict";
import {
  base64ToBytes,
  type ClientFirst,
  createClientFinal,
  createClientFirst,
  createNonce,
  escapeUsername,
  MAX_ITERATIONS,
  parseServerFirst,
  saslprep,
  type ScramErrorKind,
  type ScramHash,
  type ScramResult,
  verifyServerFinal,
} from "./scram.ts";

function unwrap<T>(result: ScramResult<T>): T {
  if (!result.ok) assert.fail(`${result.error.kind}: ${result.error.message}`);
  return result.value;
}

function errorKind<T>(result: ScramResult<T>): ScramErrorKind {
  if (result.ok) assert.fail("expected an error result");
  return result.error.kind;
}

interface Vector {
  readonly hash: ScramHash;
  readonly clientNonce: string;
  readonly clientFirst: string;
  readonly serverFirst: string;
  readonly clientFinal: string;
  readonly serverFinal: string;
}

// RFC 5802 §5 (user "user", password "pencil").
const RFC_5802: Vector = {
  hash: "SHA-1",
  clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst:
    "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j," +
    "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
};

// RFC 7677 §3 (same user and password).
const RFC_7677: Vector = {
  hash: "SHA-256",
  clientNonce: "rOprNGfwEbeRWgbNEkqO",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

const NONCE = RFC_5802.clientNonce;

function firstFor(username = "user"): ClientFirst {
  return unwrap(createClientFirst(username, NONCE));
}

Deno.test("SCRAM reproduces the RFC test vectors", async (t) => {
  for (const vector of [RFC_5802, RFC_7677]) {
    await t.step(vector.hash, async () => {
      const first = unwrap(createClientFirst("user", vector.clientNonce));
      assert.equal(first.message, vector.clientFirst);

      const serverFirst = unwrap(
        parseServerFirst(vector.serverFirst, vector.clientNonce),
      );
      assert.equal(serverFirst.iterations, 4096);

      const final = unwrap(
        await createClientFinal(vector.hash, "pencil", first, serverFirst),
      );
      assert.equal(final.message, vector.clientFinal);
      assert.equal(
        verifyServerFinal(vector.serverFinal, final.serverSignature),
        null,
      );
    });
  }
});

Deno.test("client-first message", async (t) => {
  await t.step("escapes ',' and '=' in the username", () => {
    assert.equal(escapeUsername("a,b=c"), "a=2Cb=3Dc");
    assert.equal(firstFor("a=,b").bare, `n=a=3D=2Cb,r=${NONCE}`);
  });

  await t.step("has a fresh printable nonce without ','", () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[\x21-\x2B\x2D-\x7E]{24}$/);
  });

  await t.step("refuses empty or control-laden usernames", () => {
    assert.equal(
      errorKind(createClientFirst("", NONCE)),
      "invalid-credentials",
    );
    assert.equal(
      errorKind(createClientFirst("us\u0000er", NONCE)),
      "invalid-credentials",
    );
  });

  await t.step("refuses a nonce with ','", () => {
    assert.equal(errorKind(createClientFirst("user", "a,b")), "invalid-nonce");
  });
});

Deno.test("saslprep", async (t) => {
  await t.step("maps per RFC 4013 §2.1 and normalizes with NFKC", () => {
    assert.equal(unwrap(saslprep("I\u00ADX")), "IX");
    assert.equal(unwrap(saslprep("a\u00A0b")), "a b");
    assert.equal(unwrap(saslprep("\u2168")), "IX");
    assert.equal(unwrap(saslprep("\u00AA")), "a");
  });

  await t.step("rejects prohibited characters (RFC 4013 §2.3)", () => {
    for (
      const input of ["\u0007", "a\nb", "\u0085", "\uE000", "\u200E", "\uD800"]
    ) {
      assert.equal(errorKind(saslprep(input)), "invalid-credentials", input);
    }
  });
});

Deno.test("server-first message from a hostile server", async (t) => {
  const cases: Array<[string, string, ScramErrorKind]> = [
    [
      "wrong nonce prefix",
      "r=XXXX3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
      "invalid-nonce",
    ],
    [
      "nonce with nothing appended",
      `r=${NONCE},s=QSXCR+Q6sek8bf92,i=4096`,
      "invalid-nonce",
    ],
    [
      "nonce with non-printable characters",
      `r=${NONCE}\u00e9,s=QSXCR+Q6sek8bf92,i=4096`,
      "invalid-nonce",
    ],
    ["bad base64 salt", `r=${NONCE}abc,s=QSX!R+Q6,i=4096`, "invalid-salt"],
    ["unpadded salt", `r=${NONCE}abc,s=QSXCR+Q,i=4096`, "invalid-salt"],
    ["empty salt", `r=${NONCE}abc,s=,i=4096`, "invalid-salt"],
    ["i=0", `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=0`, "invalid-iteration-count"],
    [
      "i below 4096",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4095`,
      "invalid-iteration-count",
    ],
    [
      "i above the cap",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=${MAX_ITERATIONS + 1}`,
      "invalid-iteration-count",
    ],
    [
      "i huge",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=${"9".repeat(400)}`,
      "invalid-iteration-count",
    ],
    [
      "i negative",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=-4096`,
      "invalid-iteration-count",
    ],
    [
      "i not a number",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4096x`,
      "invalid-iteration-count",
    ],
    ["missing salt", `r=${NONCE}abc,i=4096`, "missing-attribute"],
    ["missing nonce", "s=QSXCR+Q6sek8bf92,i=4096", "missing-attribute"],
    [
      "missing iteration count",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92`,
      "missing-attribute",
    ],
    [
      "mandatory extension",
      `m=x,r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4096`,
      "extensions-not-supported",
    ],
    [
      "repeated attribute",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4096,i=1`,
      "malformed-message",
    ],
    ["empty message", "", "malformed-message"],
    ["not key=value", "hello world", "malformed-message"],
    [
      "trailing comma",
      `r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4096,`,
      "malformed-message",
    ],
  ];
  for (const [name, message, kind] of cases) {
    await t.step(name, () => {
      assert.equal(errorKind(parseServerFirst(message, NONCE)), kind);
    });
  }

  await t.step("ignores optional extensions after i=", () => {
    const parsed = unwrap(
      parseServerFirst(`r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=4096,x=y`, NONCE),
    );
    assert.equal(parsed.nonce, `${NONCE}abc`);
  });
});

Deno.test("server-final message", async (t) => {
  const first = unwrap(createClientFirst("user", RFC_5802.clientNonce));
  const serverFirst = unwrap(
    parseServerFirst(RFC_5802.serverFirst, RFC_5802.clientNonce),
  );
  const final = unwrap(
    await createClientFinal("SHA-1", "pencil", first, serverFirst),
  );

  await t.step("rejects a wrong server signature", () => {
    const wrong = "v=rmF9pqV8S7suAoZWja4dJRkFsKA=";
    assert.equal(
      verifyServerFinal(wrong, final.serverSignature)?.kind,
      "server-signature-mismatch",
    );
  });

  await t.step("rejects a truncated server signature", () => {
    assert.equal(
      verifyServerFinal("v=rmF9pqV8S7suAoZW", final.serverSignature)?.kind,
      "server-signature-mismatch",
    );
  });

  await t.step("reports e= from the server", () => {
    const error = verifyServerFinal("e=invalid-proof", final.serverSignature);
    assert.equal(error?.kind, "server-error");
    assert.match(error?.message ?? "", /invalid-proof/);
  });

  await t.step("rejects garbage", () => {
    assert.equal(
      verifyServerFinal("", final.serverSignature)?.kind,
      "malformed-message",
    );
    assert.equal(
      verifyServerFinal("v=!!!", final.serverSignature)?.kind,
      "malformed-message",
    );
  });

  await t.step("accepts the signature with trailing extensions", () => {
    assert.equal(
      verifyServerFinal(`${RFC_5802.serverFinal},x=1`, final.serverSignature),
      null,
    );
  });

  await t.step("a different password gives a different proof", async () => {
    const other = unwrap(
      await createClientFinal("SHA-1", "pencil2", first, serverFirst),
    );
    assert.notEqual(other.message, final.message);
    assert.notEqual(
      verifyServerFinal(RFC_5802.serverFinal, other.serverSignature),
      null,
    );
  });

  await t.step("refuses an empty or control-laden password", async () => {
    assert.equal(
      errorKind(await createClientFinal("SHA-1", "", first, serverFirst)),
      "invalid-credentials",
    );
    assert.equal(
      errorKind(
        await createClientFinal("SHA-1", "a\u0000b", first, serverFirst),
      ),
      "invalid-credentials",
    );
  });
});

Deno.test("base64ToBytes is strict", () => {
  assert.deepEqual(base64ToBytes("AAE="), new Uint8Array([0, 1]));
  assert.equal(base64ToBytes("AAE"), null);
  assert.equal(base64ToBytes(" AAE="), null);
});

Deno.test("SCRAM-SHA-256 with 10,000 iterations finishes within 250 ms", async () => {
  const first = firstFor();
  const serverFirst = unwrap(
    parseServerFirst(`r=${NONCE}abc,s=QSXCR+Q6sek8bf92,i=10000`, NONCE),
  );
  const started = performance.now();
  unwrap(await createClientFinal("SHA-256", "pencil", first, serverFirst));
  assert.ok(performance.now() - started < 250);
});
