import assert from "node:assert/strict";
import {
  type ChatServerSettings,
  checkServerUrl,
  DEFAULT_SETTINGS,
  defaultSettings,
  MAX_URL_LENGTH,
  ROOT_ERROR_KEY,
  validateSettings,
} from "./settings_schema.ts";

const PRIMARY = "https://imp1.example.com:5280/http-bind";
const SECONDARY = "https://imp2.example.com:5280/http-bind";

function valid(): ChatServerSettings {
  return {
    primary: PRIMARY,
    secondary: SECONDARY,
    attachments: {
      enabled: true,
      maxBytes: 5 * 1024 * 1024,
      allowedTypes: [".pdf", "image/*"],
    },
  };
}

function withPrimary(primary: unknown): unknown {
  return { ...valid(), primary };
}

function withAttachments(patch: Record<string, unknown>): unknown {
  return { ...valid(), attachments: { ...valid().attachments, ...patch } };
}

function errorsOf(input: unknown): Record<string, string> {
  const result = validateSettings(input);
  assert.equal(
    result.ok,
    false,
    `expected ${JSON.stringify(input)?.slice(0, 200)} to be rejected`,
  );
  return result.ok ? {} : result.errors;
}

function valueOf(input: unknown): ChatServerSettings {
  const result = validateSettings(input);
  if (!result.ok) {
    assert.fail(`expected a valid input, got ${JSON.stringify(result.errors)}`);
  }
  return result.value;
}

interface BadCase {
  name: string;
  input: unknown;
  /** Field path → a fragment the message must contain. */
  errors: Record<string, RegExp>;
}

const BAD: BadCase[] = [
  { name: "null", input: null, errors: { [ROOT_ERROR_KEY]: /JSON object/ } },
  {
    name: "an array",
    input: [valid()],
    errors: { [ROOT_ERROR_KEY]: /JSON object/ },
  },
  {
    name: "a string",
    input: PRIMARY,
    errors: { [ROOT_ERROR_KEY]: /JSON object/ },
  },
  { name: "a number", input: 42, errors: { [ROOT_ERROR_KEY]: /JSON object/ } },
  {
    name: "an empty object",
    input: {},
    errors: {
      primary: /required/,
      secondary: /required/,
      attachments: /required/,
    },
  },
  {
    name: "a javascript: URL",
    input: withPrimary("javascript:alert(1)"),
    errors: { primary: /javascript:/ },
  },
  {
    name: "a JavaScript: URL in mixed case",
    input: withPrimary("JavaScript://%0aalert(1)"),
    errors: { primary: /not allowed/ },
  },
  {
    name: "a data: URL",
    input: withPrimary("data:text/html,<script>alert(1)</script>"),
    errors: { primary: /not allowed/ },
  },
  {
    name: "an ftp: URL",
    input: withPrimary("ftp://imp.example.com/"),
    errors: { primary: /not allowed/ },
  },
  {
    name: "a URL without a scheme",
    input: withPrimary("imp.example.com:5280/http-bind"),
    errors: { primary: /full URL/ },
  },
  {
    name: "a scheme without //",
    input: withPrimary("https:imp.example.com/http-bind"),
    errors: { primary: /https:\/\/host/ },
  },
  {
    name: "credentials in the URL",
    input: withPrimary("https://admin:secret@imp.example.com/"),
    errors: { primary: /user name or password/ },
  },
  {
    name: "a user name in the URL",
    input: withPrimary("https://admin@imp.example.com/"),
    errors: { primary: /user name/ },
  },
  {
    name: "a backslash trick",
    input: withPrimary("https://evil.example\\@imp.example.com/"),
    errors: { primary: /backslash/ },
  },
  {
    name: "port 0",
    input: withPrimary("https://imp.example.com:0/http-bind"),
    errors: { primary: /1 to 65535/ },
  },
  {
    name: "port 70000",
    input: withPrimary("https://imp.example.com:70000/http-bind"),
    errors: { primary: /1 to 65535/ },
  },
  {
    name: "an empty port",
    input: withPrimary("https://imp.example.com:/http-bind"),
    errors: { primary: /1 to 65535/ },
  },
  {
    name: "a non-numeric port",
    input: withPrimary("https://imp.example.com:http/"),
    errors: { primary: /1 to 65535/ },
  },
  {
    name: "a query",
    input: withPrimary("https://imp.example.com/http-bind?debug=1"),
    errors: { primary: /query/ },
  },
  {
    name: "an empty query",
    input: withPrimary("https://imp.example.com/http-bind?"),
    errors: { primary: /query/ },
  },
  {
    name: "a fragment",
    input: withPrimary("https://imp.example.com/http-bind#x"),
    errors: { primary: /fragment/ },
  },
  {
    name: "no host",
    input: withPrimary("https:///http-bind"),
    errors: { primary: /host/ },
  },
  {
    name: "a port but no host",
    input: withPrimary("https://:5280/http-bind"),
    errors: { primary: /host/ },
  },
  {
    name: "an unclosed IPv6 bracket",
    input: withPrimary("https://[::1:5280/http-bind"),
    errors: { primary: /host name is not valid/ },
  },
  {
    name: "a bad host character",
    input: withPrimary("https://imp<example>.com/"),
    errors: { primary: /host name is not valid/ },
  },
  {
    name: "a space inside",
    input: withPrimary("https://imp example.com/"),
    errors: { primary: /spaces/ },
  },
  {
    name: "an empty primary",
    input: withPrimary("   "),
    errors: { primary: /Enter a URL/ },
  },
  {
    name: "a numeric primary",
    input: withPrimary(5280),
    errors: { primary: /as text/ },
  },
  {
    name: "a null primary",
    input: withPrimary(null),
    errors: { primary: /as text/ },
  },
  {
    name: "a nested object as primary",
    input: withPrimary({ href: PRIMARY }),
    errors: { primary: /as text/ },
  },
  {
    name: "a 10 KB URL",
    input: withPrimary(`https://imp.example.com/${"a".repeat(10_000)}`),
    errors: { primary: /too long/ },
  },
  {
    name: "secondary equal to primary after normalization",
    input: {
      ...valid(),
      secondary: "HTTPS://IMP1.EXAMPLE.COM:5280/http-bind ",
    },
    errors: { secondary: /differ/ },
  },
  {
    name: "a javascript: secondary",
    input: { ...valid(), secondary: "javascript:alert(1)" },
    errors: { secondary: /not allowed/ },
  },
  {
    name: "an unknown top-level field",
    input: { ...valid(), secondry: SECONDARY },
    errors: { [ROOT_ERROR_KEY]: /Unknown setting "secondry"/ },
  },
  {
    name: "a __proto__ key",
    input: JSON.parse(
      `{"__proto__":{"admin":true},"primary":"${PRIMARY}","secondary":"","attachments":{"enabled":false,"maxBytes":1,"allowedTypes":[]}}`,
    ),
    errors: { [ROOT_ERROR_KEY]: /Unknown setting "__proto__"/ },
  },
  {
    name: "an unknown key with a huge name",
    input: { ...valid(), ["k".repeat(10_000)]: 1 },
    errors: { [ROOT_ERROR_KEY]: /^Unknown setting; remove it\.$/ },
  },
  {
    name: "an unknown nested field",
    input: withAttachments({ maxSize: 5 }),
    errors: { attachments: /Unknown setting "maxSize"/ },
  },
  {
    name: "attachments as an array",
    input: { ...valid(), attachments: [] },
    errors: { attachments: /must be an object/ },
  },
  {
    name: "attachments as null",
    input: { ...valid(), attachments: null },
    errors: { attachments: /must be an object/ },
  },
  {
    name: "missing nested fields",
    input: { ...valid(), attachments: {} },
    errors: {
      "attachments.enabled": /required/,
      "attachments.maxBytes": /required/,
      "attachments.allowedTypes": /required/,
    },
  },
  {
    name: "enabled as a string",
    input: withAttachments({ enabled: "yes" }),
    errors: { "attachments.enabled": /true or false/ },
  },
  {
    name: "maxBytes 0",
    input: withAttachments({ maxBytes: 0 }),
    errors: { "attachments.maxBytes": /at least 1 byte/ },
  },
  {
    name: "maxBytes over 100 MiB",
    input: withAttachments({ maxBytes: 100 * 1024 * 1024 + 1 }),
    errors: { "attachments.maxBytes": /100 MiB/ },
  },
  {
    name: "a fractional maxBytes",
    input: withAttachments({ maxBytes: 1.5 }),
    errors: { "attachments.maxBytes": /whole number/ },
  },
  {
    name: "maxBytes as a string",
    input: withAttachments({ maxBytes: "1000" }),
    errors: { "attachments.maxBytes": /number of bytes/ },
  },
  {
    name: "allowedTypes as a string",
    input: withAttachments({ allowedTypes: ".pdf,.png" }),
    errors: { "attachments.allowedTypes": /must be a list/ },
  },
  {
    name: "101 allowed types",
    input: withAttachments({
      allowedTypes: Array.from({ length: 101 }, (_, i) => `.t${i}`),
    }),
    errors: { "attachments.allowedTypes": /At most 100/ },
  },
  {
    name: "bad entries in allowedTypes",
    input: withAttachments({
      allowedTypes: [".pdf", 7, "image/png/x", "", "x".repeat(101), "*/*", {
        type: ".pdf",
      }],
    }),
    errors: {
      "attachments.allowedTypes.1": /must be text/,
      "attachments.allowedTypes.2": /file extension/,
      "attachments.allowedTypes.3": /cannot be empty/,
      "attachments.allowedTypes.4": /at most 100 characters/,
      "attachments.allowedTypes.5": /file extension/,
      "attachments.allowedTypes.6": /must be text/,
    },
  },
];

Deno.test("validateSettings rejects bad input with a message per field", async (t) => {
  assert.ok(BAD.length >= 25);
  for (const bad of BAD) {
    await t.step(bad.name, () => {
      const errors = errorsOf(bad.input);
      assert.deepEqual(
        Object.keys(errors).sort(),
        Object.keys(bad.errors).sort(),
        JSON.stringify(errors),
      );
      for (const [field, pattern] of Object.entries(bad.errors)) {
        assert.match(errors[field], pattern, field);
      }
    });
  }
});

Deno.test("error messages never echo a huge input", () => {
  const huge = "x".repeat(10_000);
  for (
    const input of [
      withPrimary(`https://${huge}.example.com/`),
      withPrimary(`javascript:${huge}`),
      { ...valid(), secondary: huge },
      withAttachments({ allowedTypes: [huge] }),
      { ...valid(), [huge]: huge },
    ]
  ) {
    const errors = errorsOf(input);
    for (const [key, message] of Object.entries(errors)) {
      assert.ok(key.length < 100, key.slice(0, 100));
      assert.ok(message.length < 200, message.slice(0, 200));
    }
  }
});

Deno.test("validateSettings accepts and normalizes good input", async (t) => {
  await t.step("a full document comes back equal", () => {
    assert.deepEqual(valueOf(valid()), valid());
  });
  await t.step("scheme and host are lower-cased, spaces trimmed", () => {
    assert.equal(
      valueOf(withPrimary("  HTTPS://IMP1.Example.COM:5280/Http-Bind  "))
        .primary,
      "https://imp1.example.com:5280/Http-Bind",
    );
  });
  await t.step("an IPv6 host with a port", () => {
    assert.equal(
      valueOf(withPrimary("https://[::1]:5280/http-bind")).primary,
      "https://[::1]:5280/http-bind",
    );
  });
  await t.step("an IPv6 host is compressed and lower-cased", () => {
    assert.equal(
      valueOf(withPrimary("http://[0:0:0:0:0:0:0:1]/http-bind")).primary,
      "http://[::1]/http-bind",
    );
  });
  await t.step("ws and wss", () => {
    assert.equal(
      valueOf(withPrimary("ws://127.0.0.1:5280/xmpp-websocket")).primary,
      "ws://127.0.0.1:5280/xmpp-websocket",
    );
    assert.equal(
      valueOf(withPrimary("WSS://imp.example.com/ws")).primary,
      "wss://imp.example.com/ws",
    );
  });
  await t.step("a bare host gets a path and loses its default port", () => {
    assert.equal(
      valueOf(withPrimary("https://imp1.example.com:443")).primary,
      "https://imp1.example.com/",
    );
  });
  await t.step("ports 1 and 65535", () => {
    assert.equal(
      valueOf(withPrimary("http://imp1.example.com:1/")).primary,
      "http://imp1.example.com:1/",
    );
    assert.equal(
      valueOf(withPrimary("http://imp1.example.com:65535/")).primary,
      "http://imp1.example.com:65535/",
    );
  });
  await t.step("a URL of exactly the maximum length", () => {
    const prefix = "https://imp.example.com/";
    const url = prefix + "a".repeat(MAX_URL_LENGTH - prefix.length);
    assert.equal(valueOf(withPrimary(url)).primary, url);
  });
  await t.step("an empty secondary becomes the empty string", () => {
    assert.equal(valueOf({ ...valid(), secondary: "  " }).secondary, "");
  });
  await t.step("the same host on another scheme is a different server", () => {
    assert.equal(
      valueOf({ ...valid(), secondary: PRIMARY.replace("https:", "wss:") })
        .secondary,
      "wss://imp1.example.com:5280/http-bind",
    );
  });
  await t.step("file types are lower-cased, dotted and de-duplicated", () => {
    assert.deepEqual(
      valueOf(
        withAttachments({
          allowedTypes: [
            "PDF",
            ".pdf",
            " Image/PNG ",
            "image/*",
            "tar.gz",
            "application/vnd.ms-excel",
          ],
        }),
      )
        .attachments.allowedTypes,
      [".pdf", "image/png", "image/*", ".tar.gz", "application/vnd.ms-excel"],
    );
  });
  await t.step("size limits at the edges, an empty type list", () => {
    assert.equal(
      valueOf(withAttachments({ maxBytes: 1 })).attachments.maxBytes,
      1,
    );
    assert.equal(
      valueOf(withAttachments({ maxBytes: 100 * 1024 * 1024 })).attachments
        .maxBytes,
      100 * 1024 * 1024,
    );
    assert.deepEqual(
      valueOf(withAttachments({ allowedTypes: [] })).attachments.allowedTypes,
      [],
    );
  });
  await t.step("100 allowed types", () => {
    const types = Array.from({ length: 100 }, (_, i) => `.t${i}`);
    assert.deepEqual(
      valueOf(withAttachments({ allowedTypes: types })).attachments
        .allowedTypes,
      types,
    );
  });
  await t.step("the input is not modified", () => {
    const input = withAttachments({ allowedTypes: ["PDF"] });
    const before = JSON.stringify(input);
    valueOf(input);
    assert.equal(JSON.stringify(input), before);
  });
});

Deno.test("defaults", async (t) => {
  await t.step("each call builds a fresh copy", () => {
    const a = defaultSettings();
    a.attachments.allowedTypes.push(".exe");
    assert.deepEqual(defaultSettings(), DEFAULT_SETTINGS);
    assert.notEqual(
      defaultSettings().attachments,
      DEFAULT_SETTINGS.attachments,
    );
  });
  await t.step("DEFAULT_SETTINGS is frozen all the way down", () => {
    assert.ok(Object.isFrozen(DEFAULT_SETTINGS));
    assert.ok(Object.isFrozen(DEFAULT_SETTINGS.attachments.allowedTypes));
  });
  await t.step(
    "defaults name no server, so they do not validate until one is entered",
    () => {
      assert.match(errorsOf(defaultSettings()).primary, /Enter a URL/);
      assert.equal(
        validateSettings({ ...defaultSettings(), primary: PRIMARY }).ok,
        true,
      );
    },
  );
});

Deno.test("checkServerUrl is usable on its own", () => {
  assert.deepEqual(checkServerUrl("http://localhost:5280/http-bind"), {
    ok: true,
    href: "http://localhost:5280/http-bind",
  });
  assert.equal(checkServerUrl("javascript:alert(1)").ok, false);
});
