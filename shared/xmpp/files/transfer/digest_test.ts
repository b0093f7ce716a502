import assert from "node:assert/strict";
import { decodeSha256, sameBytes, sha256Of, toBase64 } from "./digest.ts";

// FIPS 180-2 appendix B.1: SHA-256("abc").
const ABC = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

Deno.test("sha256Of hashes bytes and Blobs alike", async () => {
  const abc = new TextEncoder().encode("abc");
  assert.equal(toBase64(await sha256Of(abc)), ABC);
  assert.equal(toBase64(await sha256Of(new Blob([abc]))), ABC);
});

Deno.test("decodeSha256 takes exactly a 32-byte base64 digest", async () => {
  const digest = decodeSha256(ABC);
  assert.ok(digest);
  assert.ok(sameBytes(digest, await sha256Of(new TextEncoder().encode("abc"))));
  for (
    const bad of [
      "",
      ABC.slice(0, -1),
      ABC + "=",
      " " + ABC,
      ABC.replace("+", "-"), // base64url is not XEP-0300's spelling
      btoa("x".repeat(20)), // a SHA-1's length
      "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0*",
    ]
  ) {
    assert.equal(decodeSha256(bad), undefined, JSON.stringify(bad));
  }
});

Deno.test("sameBytes compares length and content", () => {
  assert.ok(sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 2])));
  assert.ok(!sameBytes(new Uint8Array([1, 2]), new Uint8Array([1, 3])));
  assert.ok(!sameBytes(new Uint8Array([1]), new Uint8Array([1, 0])));
});
