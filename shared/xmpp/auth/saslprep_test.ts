import assert from "node:assert/strict";
import { saslprep } from "./saslprep.ts";

Deno.test("saslprep maps per RFC 4013 §2.1 and normalizes with NFKC", () => {
  const cases: Array<[string, string]> = [
    ["I\u00ADX", "IX"],
    ["a\u00A0b", "a b"],
    ["\u2168", "IX"],
    ["\u00AA", "a"],
    ["user", "user"],
  ];
  for (const [input, expected] of cases) {
    const result = saslprep(input);
    assert.ok(result.ok, input);
    assert.equal(result.value, expected);
  }
});

Deno.test("saslprep rejects prohibited characters (RFC 4013 §2.3)", () => {
  for (
    const input of ["\u0007", "a\nb", "\u0085", "\uE000", "\u200E", "\uD800"]
  ) {
    const result = saslprep(input);
    assert.ok(!result.ok, JSON.stringify(input));
    assert.equal(result.error.kind, "invalid-credentials");
  }
});
