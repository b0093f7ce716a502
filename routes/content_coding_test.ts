import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../tests/support/fuzz.ts";
import { acceptedCodings, PRECOMPRESSED } from "./content_coding.ts";

const codings = (header: string | undefined) =>
  acceptedCodings(header).map((entry) => entry.coding);

Deno.test("acceptedCodings", async (t) => {
  await t.step("prefers Brotli, then gzip, when weighed alike", () => {
    assert.deepEqual(codings("gzip, deflate, br, zstd"), ["br", "gzip"]);
    // Chromium over plain http offers no Brotli.
    assert.deepEqual(codings("gzip, deflate"), ["gzip"]);
    assert.deepEqual(codings("BR;Q=1.000, GZip"), ["br", "gzip"]);
  });

  await t.step("follows the client's weights (RFC 9110 §12.4.2)", () => {
    assert.deepEqual(codings("br;q=0.5, gzip"), ["gzip", "br"]);
    assert.deepEqual(codings("gzip;q=0.001, br;q=0.002"), ["br", "gzip"]);
    assert.deepEqual(codings("br;q=0, gzip;q=0.8"), ["gzip"]);
  });

  await t.step("lets * accept what is not named, and q=0 refuse it", () => {
    assert.deepEqual(codings("*"), ["br", "gzip"]);
    assert.deepEqual(codings("gzip;q=0, *"), ["br"]);
    assert.deepEqual(codings("*;q=0"), []);
    assert.deepEqual(codings("*;q=0, gzip"), ["gzip"]);
  });

  await t.step("sends the plain file when nothing else is accepted", () => {
    for (const header of [undefined, "", "identity", "deflate", " , ,"]) {
      assert.deepEqual(codings(header), [], String(header));
    }
  });

  await t.step("reads a garbled weight as refusing that coding", () => {
    assert.deepEqual(codings("br;q=2, gzip;q=abc"), []);
    assert.deepEqual(codings("br;q=0.5;x=1, gzip"), ["gzip"]);
    assert.deepEqual(codings("br;q=1.0001, gzip; q=0.3"), ["gzip"]);
  });
});

Deno.test("acceptedCodings never throws and names each coding once", () => {
  const member = fc.oneof(
    fc.constantFrom("br", "gzip", "GZIP", "*", "identity", "deflate", ""),
    fc.string({ maxLength: 12 }),
  );
  const weight = fc.oneof(
    fc.constant(""),
    fc.constantFrom(";q=0", ";q=1", ";q=0.5", ";Q=0.999", "; q = 1"),
    fc.string({ maxLength: 8 }).map((text) => `;${text}`),
  );
  const header = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.array(fc.tuple(member, weight).map(([m, w]) => m + w), {
      maxLength: 8,
    }).map((members) => members.join(",")),
  );
  fc.assert(
    fc.property(header, (value) => {
      const result = acceptedCodings(value);
      const names = result.map((entry) => entry.coding);
      assert.equal(new Set(names).size, names.length);
      for (const entry of result) assert.ok(PRECOMPRESSED.includes(entry));
    }),
    fuzzRuns(0x0c0d1),
  );
});
