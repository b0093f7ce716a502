import assert from "node:assert/strict";
import fc from "fast-check";
import { readSettings } from "./settings_reader.ts";
import {
  MAX_ATTACHMENT_BYTES,
  ROOT_ERROR_KEY,
  validateSettings,
} from "./settings_schema.ts";
import { fuzzRuns } from "../../tests/support/fuzz.ts";

const PRIMARY = "https://imp1.example.com:5280/http-bind";

function valid(): Record<string, unknown> {
  return {
    primary: PRIMARY,
    secondary: "",
    attachments: { enabled: true, maxBytes: 1024, allowedTypes: [".pdf"] },
  };
}

function errorsOf(input: unknown): Record<string, string> {
  const result = readSettings(input);
  assert.equal(result.ok, false, JSON.stringify(input));
  return result.ok ? {} : result.errors;
}

Deno.test("readSettings accepts and normalizes what the service accepts", () => {
  assert.deepEqual(
    readSettings({
      primary: " HTTPS://IMP1.example.com:443/http-bind ",
      secondary: "wss://imp2.example.com/ws",
      attachments: {
        enabled: false,
        maxBytes: MAX_ATTACHMENT_BYTES,
        allowedTypes: ["PDF", ".pdf", "Image/*"],
      },
    }),
    {
      ok: true,
      value: {
        primary: "https://imp1.example.com/http-bind",
        secondary: "wss://imp2.example.com/ws",
        attachments: {
          enabled: false,
          maxBytes: MAX_ATTACHMENT_BYTES,
          allowedTypes: [".pdf", "image/*"],
        },
      },
    },
  );
});

Deno.test("readSettings names the first problem by its field path", () => {
  assert.deepEqual(Object.keys(errorsOf([])), ["settings"]);
  assert.deepEqual(Object.keys(errorsOf({ ...valid(), extra: 1 })), [
    "settings",
  ]);
  const { secondary: _, ...noSecondary } = valid();
  assert.deepEqual(errorsOf(noSecondary), {
    secondary: "This setting is required.",
  });
  assert.deepEqual(Object.keys(errorsOf({ ...valid(), secondary: PRIMARY })), [
    "secondary",
  ]);
  assert.equal(
    errorsOf({ ...valid(), primary: "javascript:alert(1)" }).primary,
    "scheme",
  );
  const attachments = (patch: Record<string, unknown>) =>
    Object.keys(errorsOf({
      ...valid(),
      attachments: { ...(valid().attachments as object), ...patch },
    }));
  assert.deepEqual(attachments({ enabled: "yes" }), ["attachments.enabled"]);
  assert.deepEqual(attachments({ maxBytes: 0.5 }), ["attachments.maxBytes"]);
  assert.deepEqual(attachments({ maxBytes: MAX_ATTACHMENT_BYTES + 1 }), [
    "attachments.maxBytes",
  ]);
  assert.deepEqual(attachments({ allowedTypes: [".pdf", 7] }), [
    "attachments.allowedTypes.1",
  ]);
  assert.deepEqual(attachments({ allowedTypes: Array(101).fill(".pdf") }), [
    "attachments.allowedTypes",
  ]);
  assert.deepEqual(attachments({ other: true }), ["attachments"]);
});

// Pieces of settings documents, valid and not, so that generated documents
// are often nearly valid and reach every check rather than failing at the top.
const urlText = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      PRIMARY,
      "https://imp2.example.com:5280/http-bind",
      "WSS://IMP1.example.com/ws",
      "https://imp1.example.com:5280/http-bind ",
      "https://[::1]:5280/http-bind",
      "",
    ),
  },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "  ",
      "imp.example.com:5280/http-bind",
      "javascript:alert(1)",
      "https://user@imp.example.com/",
      "https://imp.example.com:70000/",
      "https://imp.example.com/?q",
      "https:imp.example.com",
    ),
  },
  fc.string(),
  fc.webUrl(),
);
const fileType = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      ".pdf",
      "PDF",
      "image/*",
      " .Txt",
      "image/png/x",
      "*/*",
      "",
    ),
  },
  fc.string({ maxLength: 120 }),
);
const entry = (key: string, value: fc.Arbitrary<unknown>) =>
  fc.option(fc.tuple(fc.constant(key), value), { freq: 20 });
const object = (entries: fc.Arbitrary<[string, unknown] | null>[]) =>
  fc.tuple(
    fc.tuple(...entries),
    fc.oneof(
      { weight: 8, arbitrary: fc.constant(null) },
      fc.tuple(fc.string(), fc.anything()),
    ),
  ).map(([known, extra]) =>
    Object.fromEntries(
      [...known, extra].filter((pair) => pair !== null),
    ) as Record<string, unknown>
  );
const attachments = fc.oneof(
  {
    weight: 8,
    arbitrary: object([
      entry(
        "enabled",
        fc.oneof({ weight: 8, arbitrary: fc.boolean() }, fc.anything()),
      ),
      entry(
        "maxBytes",
        fc.oneof(
          fc.integer({ min: -2, max: MAX_ATTACHMENT_BYTES + 2 }),
          fc.constantFrom(1, MAX_ATTACHMENT_BYTES, 1.5, NaN, Infinity, "1024"),
          fc.double(),
        ),
      ),
      entry(
        "allowedTypes",
        fc.oneof(
          { weight: 8, arbitrary: fc.array(fileType, { maxLength: 5 }) },
          fc.array(fc.oneof(fileType, fc.anything()), { maxLength: 5 }),
          fc.array(fc.constant(".pdf"), { minLength: 99, maxLength: 102 }),
          fc.anything(),
        ),
      ),
    ]),
  },
  { weight: 1, arbitrary: fc.anything() },
);
const document = fc.oneof(
  {
    weight: 8,
    arbitrary: object([
      entry(
        "primary",
        fc.oneof({ weight: 8, arbitrary: urlText }, fc.anything()),
      ),
      entry(
        "secondary",
        fc.oneof({ weight: 8, arbitrary: urlText }, fc.anything()),
      ),
      entry("attachments", attachments),
    ]),
  },
  { weight: 1, arbitrary: fc.anything() },
  {
    weight: 1,
    arbitrary: fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value))),
  },
);

const ERROR_KEY = new RegExp(
  `^(${ROOT_ERROR_KEY}|primary|secondary|attachments` +
    `(\\.(enabled|maxBytes|allowedTypes(\\.\\d+)?))?)$`,
);

Deno.test("readSettings agrees with the service's schema on any input and never throws", () => {
  let accepted = 0;
  fc.assert(
    fc.property(document, (input) => {
      const read = readSettings(input);
      const validated = validateSettings(input);
      assert.equal(read.ok, validated.ok, JSON.stringify(read));
      if (read.ok && validated.ok) {
        accepted++;
        assert.deepEqual(read.value, validated.value);
        // Plain JSON data, and already normal: what is stored reads back.
        assert.deepEqual(JSON.parse(JSON.stringify(read.value)), read.value);
        assert.deepEqual(validateSettings(read.value), validated);
      } else if (!read.ok && !validated.ok) {
        // Error keys name fields of the schema, never an input's own key
        // (which the admin page would show back).
        for (const key of Object.keys(validated.errors)) {
          assert.match(key, ERROR_KEY, key);
        }
        // The reader names one problem; the schema finds it too.
        const [key, ...more] = Object.keys(read.errors);
        assert.equal(more.length, 0);
        assert.ok(
          key in validated.errors,
          `${key} of ${JSON.stringify(validated.errors)}`,
        );
      }
    }),
    fuzzRuns(1312, 5_000),
  );
  // A generator that reached no valid document would test only refusals.
  assert.ok(accepted >= 50, `${accepted} valid documents generated`);
});
