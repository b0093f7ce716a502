import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import {
  base64ToBytes,
  bytesToBase64,
  fromWire,
  toWire,
} from "./sasl_encoding.ts";

const RUNS = fuzzRuns(4648);

Deno.test("base64ToBytes is strict (RFC 4648 §4)", () => {
  assert.deepEqual(base64ToBytes("AAE="), new Uint8Array([0, 1]));
  for (const text of ["AAE", " AAE=", "AA E=", "AAE=\n", "A===", "!!!!"]) {
    assert.equal(base64ToBytes(text), null, JSON.stringify(text));
  }
});

Deno.test("base64 round trip, and no string makes base64ToBytes throw", () => {
  fc.assert(
    fc.property(fc.uint8Array(), (bytes) => {
      assert.deepEqual(base64ToBytes(bytesToBase64(bytes)), bytes);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (text) => {
      const bytes = base64ToBytes(text);
      return bytes === null || bytesToBase64(bytes) === text;
    }),
    RUNS,
  );
});

Deno.test("toWire spells UTF-8 one char per byte", () => {
  assert.equal(toWire("jü"), "j\u00C3\u00BC");
  assert.equal(fromWire("j\u00C3\u00BC"), "jü");
});

Deno.test("fromWire accepts exactly the UTF-8 byte strings", () => {
  // Invalid UTF-8, overlong "/", a lone surrogate's bytes, a char > U+00FF.
  for (
    const binary of ["\u00FF", "\u00C0\u00AF", "\u00ED\u00A0\u0080", "ü\u0100"]
  ) {
    assert.equal(fromWire(binary), null, JSON.stringify(binary));
  }
  fc.assert(
    fc.property(
      fc.string({ unit: "binary" }).filter((text) => text.isWellFormed()),
      (text) => fromWire(toWire(text)) === text,
    ),
    RUNS,
  );
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (binary) => {
      const text = fromWire(binary);
      return text === null || toWire(text) === binary;
    }),
    RUNS,
  );
});
