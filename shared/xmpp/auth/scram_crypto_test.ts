import assert from "node:assert/strict";
import { scramKeys } from "../../../tests/support/scram_server.ts";
import { base64ToBytes } from "./sasl_encoding.ts";
import {
  type ClientFinal,
  createClientFinal,
  type ScramHash,
  verifyServerFinal,
} from "./scram_crypto.ts";
import { createClientFirst, parseServerFirst } from "./scram_messages.ts";
import type { ScramErrorKind, ScramResult } from "./scram_result.ts";

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
  readonly salt: string;
  readonly clientFirst: string;
  readonly serverFirst: string;
  readonly clientFinal: string;
  readonly serverFinal: string;
}

// RFC 5802 §5 (user "user", password "pencil").
const RFC_5802: Vector = {
  hash: "SHA-1",
  clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  salt: "QSXCR+Q6sek8bf92",
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
  salt: "W22ZaJ0SNY7soEsUEjb6gQ==",
  clientFirst: "n,,n=user,r=rOprNGfwEbeRWgbNEkqO",
  serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
    "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
  clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
    "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
  serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
};

// SCRAM-SHA-512 has no published vector: RFC 5802 has SHA-1 only, RFC 7677
// SHA-256 only, and draft-melnikov-scram-sha-512-02 (the mechanism's
// definition, §3: RFC 5802 with SHA-512) gives no example exchange. This is
// RFC 7677's exchange with SHA-512, computed by tests/support/scram_server.ts
// on node:crypto (pbkdf2Sync, createHmac, createHash), which the first test
// checks against both RFC vectors; Python's hashlib gives the same values.
const SHA_512: Vector = {
  ...RFC_7677,
  hash: "SHA-512",
  clientFinal: "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0," +
    "p=gMGXRcevScNtxZ6/8lQYpGtnsNAc3mGcmNomv+xnoOMw+3R2xNJdMNnzMlTN8PPC6wdp" +
    "6dybEmDYXYTxwnYPJQ==",
  serverFinal:
    "v=ZQnYEgWQMFmmsM8aQMF0nDDCy/AgCzkwk8CmMZYcMg0vSVlKDanekLtifDSe" +
    "VGT4+5ZxXnJq199RVG2rR7N7Zw==",
};

const VECTORS = [RFC_5802, RFC_7677, SHA_512];

function authMessage(vector: Vector): string {
  const withoutProof = vector.clientFinal.slice(
    0,
    vector.clientFinal.indexOf(",p="),
  );
  return `${vector.clientFirst.slice(3)},${vector.serverFirst},${withoutProof}`;
}

// What the node:crypto implementation gives for a vector, in wire form.
function independent(vector: Vector): { clientFinal: string; v: string } {
  const salt = base64ToBytes(vector.salt);
  assert.ok(salt);
  const keys = scramKeys(
    vector.hash,
    "pencil",
    salt,
    4096,
    authMessage(vector),
  );
  const withoutProof = vector.clientFinal.slice(
    0,
    vector.clientFinal.indexOf(",p="),
  );
  return {
    clientFinal: `${withoutProof},p=${keys.clientProof}`,
    v: `v=${keys.serverSignature}`,
  };
}

function clientFinalFor(
  vector: Vector,
  password = "pencil",
): Promise<ScramResult<ClientFinal>> {
  const first = unwrap(createClientFirst("user", vector.clientNonce));
  assert.equal(first.message, vector.clientFirst);
  const serverFirst = unwrap(
    parseServerFirst(vector.serverFirst, vector.clientNonce),
  );
  return createClientFinal(vector.hash, password, first, serverFirst);
}

Deno.test("the node:crypto SCRAM of the tests reproduces every vector", () => {
  for (const vector of VECTORS) {
    const { clientFinal, v } = independent(vector);
    assert.equal(clientFinal, vector.clientFinal, vector.hash);
    assert.equal(v, vector.serverFinal, vector.hash);
  }
});

Deno.test("SCRAM on Web Crypto reproduces the vectors", async (t) => {
  for (const vector of VECTORS) {
    await t.step(vector.hash, async () => {
      const final = unwrap(await clientFinalFor(vector));
      assert.equal(final.message, vector.clientFinal);
      assert.equal(
        verifyServerFinal(vector.serverFinal, final.serverSignature),
        null,
      );
    });
  }
});

Deno.test("SCRAM-SHA-512 agrees with node:crypto for other inputs", async () => {
  const clientNonce = "Kx3Jc9Yq/rT1";
  const serverFirst = `r=${clientNonce}srv-9f2a,s=c2FsdHNhbHQ=,i=10000`;
  const first = unwrap(createClientFirst("jür=gen", clientNonce));
  const parsed = unwrap(parseServerFirst(serverFirst, clientNonce));
  const final = unwrap(
    await createClientFinal("SHA-512", "pässwörd", first, parsed),
  );
  const withoutProof = final.message.slice(0, final.message.indexOf(",p="));
  const keys = scramKeys(
    "SHA-512",
    "pässwörd",
    parsed.salt,
    10000,
    `${first.bare},${serverFirst},${withoutProof}`,
  );
  assert.equal(final.message, `${withoutProof},p=${keys.clientProof}`);
  assert.equal(
    verifyServerFinal(`v=${keys.serverSignature}`, final.serverSignature),
    null,
  );
});

Deno.test("verifyServerFinal", async (t) => {
  const final = unwrap(await clientFinalFor(RFC_5802));

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

  await t.step("rejects another hash's signature for the same exchange", () => {
    assert.equal(
      verifyServerFinal(SHA_512.serverFinal, final.serverSignature)?.kind,
      "server-signature-mismatch",
    );
  });

  await t.step("reports e= from the server", () => {
    const error = verifyServerFinal("e=invalid-proof", final.serverSignature);
    assert.equal(error?.kind, "server-error");
    assert.match(error?.message ?? "", /invalid-proof/);
  });

  await t.step("rejects garbage", () => {
    for (const message of ["", "v=!!!", "x=1"]) {
      assert.equal(
        verifyServerFinal(message, final.serverSignature)?.kind,
        "malformed-message",
        message,
      );
    }
  });

  await t.step("accepts the signature with trailing extensions", () => {
    assert.equal(
      verifyServerFinal(`${RFC_5802.serverFinal},x=1`, final.serverSignature),
      null,
    );
  });
});

Deno.test("createClientFinal", async (t) => {
  await t.step("a different password gives a different proof", async () => {
    const other = unwrap(await clientFinalFor(SHA_512, "pencil2"));
    assert.notEqual(other.message, SHA_512.clientFinal);
    assert.equal(
      verifyServerFinal(SHA_512.serverFinal, other.serverSignature)?.kind,
      "server-signature-mismatch",
    );
  });

  await t.step("refuses an empty or control-laden password", async () => {
    for (const password of ["", "a\u0000b", "\u00AD"]) {
      assert.equal(
        errorKind(await clientFinalFor(RFC_7677, password)),
        "invalid-credentials",
        JSON.stringify(password),
      );
    }
  });
});
