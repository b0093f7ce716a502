import assert from "node:assert/strict";
import fc from "fast-check";
import { ParseError } from "../shared/xmpp/core/errors.ts";
import { fuzzRuns } from "../tests/support/fuzz.ts";
import {
  cleanText,
  isReportMediaType,
  MAX_BLOCKED_CHARS,
  MAX_DIRECTIVE_CHARS,
  MAX_PAGE_CHARS,
  MAX_REPORTS_PER_BODY,
  parseCspReports,
  violationLine,
} from "./csp_report.ts";

// As Chromium sends them: report-uri (CSP3 §5.3) and report-to (§5.4).
const REPORT_URI_BODY = {
  "csp-report": {
    "document-uri": "https://chat.example.com/?agent=Sam",
    "referrer": "",
    "violated-directive": "script-src-elem",
    "effective-directive": "script-src-elem",
    "original-policy": "default-src 'none'; script-src 'self'",
    "disposition": "enforce",
    "blocked-uri": "inline",
    "line-number": 12,
    "status-code": 200,
    "script-sample": "",
  },
};
const REPORTS_JSON_BODY = [
  {
    age: 10,
    type: "csp-violation",
    url: "https://chat.example.com/admin",
    user_agent: "Chromium",
    body: {
      blockedURL: "https://evil.example/x.js?session=secret#f",
      disposition: "enforce",
      documentURL: "https://chat.example.com/admin?x=1",
      effectiveDirective: "script-src-elem",
      originalPolicy: "default-src 'none'",
      statusCode: 200,
    },
  },
  { type: "deprecation", url: "https://chat.example.com/", body: {} },
  {
    type: "csp-violation",
    url: "https://chat.example.com/",
    body: {
      blockedURL: "trusted-types-sink",
      effectiveDirective: "require-trusted-types-for",
    },
  },
];

Deno.test("report-uri's application/csp-report body", () => {
  assert.deepEqual(parseCspReports(REPORT_URI_BODY), [
    { directive: "script-src-elem", blocked: "inline", page: "/" },
  ]);
  // CSP2 browsers: only violated-directive, with the directive's value.
  assert.deepEqual(
    parseCspReports({
      "csp-report": {
        "violated-directive": "style-src 'self'",
        "blocked-uri": "data:text/css,x",
        "document-uri": "http://127.0.0.1:8000/admin",
      },
    }),
    [{ directive: "style-src", blocked: "data:", page: "/admin" }],
  );
});

Deno.test("report-to's application/reports+json list: CSP reports only", () => {
  assert.deepEqual(parseCspReports(REPORTS_JSON_BODY), [
    {
      directive: "script-src-elem",
      blocked: "https://evil.example/x.js",
      page: "/admin",
    },
    {
      directive: "require-trusted-types-for",
      blocked: "trusted-types-sink",
      page: "/",
    },
  ]);
  assert.deepEqual(parseCspReports([]), []);
  assert.equal(
    (parseCspReports(Array(50).fill(REPORTS_JSON_BODY[0])) as unknown[]).length,
    MAX_REPORTS_PER_BODY,
  );
});

Deno.test("what a report may hold is reduced to what is safe to log", () => {
  const [hostile] = parseCspReports({
    "csp-report": {
      "effective-directive": "script-src\nFAKE LOG LINE",
      "blocked-uri": "https://user:pass@evil.example:8443/a\u202e/b?token=1",
      "document-uri": 42,
    },
  }) as { directive: string; blocked: string; page: string }[];
  assert.deepEqual(hostile, {
    directive: "unknown",
    blocked: "https://evil.example:8443/a%E2%80%AE/b",
    page: "-",
  });
  const [plain] = parseCspReports({
    "csp-report": {
      "blocked-uri": "eval\u0000\u001b[31m",
      "document-uri": "x",
    },
  }) as { blocked: string }[];
  assert.equal(plain.blocked, "eval[31m");
  for (
    const [blocked, expected] of [
      ["javascript:alert(1)", "javascript:"],
      ["blob:https://chat.example.com/3f1c", "blob:"],
      ["chrome-extension://abcdef/script.js", "chrome-extension:"],
      ["", "-"],
      [null, "-"],
    ]
  ) {
    const [report] = parseCspReports({
      "csp-report": { "blocked-uri": blocked },
    }) as { blocked: string }[];
    assert.equal(report.blocked, expected, String(blocked));
  }
});

Deno.test("a body that is no report is a ParseError", () => {
  for (
    const body of [null, 3, "csp", {}, { "csp-report": "x" }, {
      "csp-report": [],
    }]
  ) {
    const result = parseCspReports(body);
    assert.ok(result instanceof ParseError, JSON.stringify(body));
    assert.equal(result.condition, "bad-report");
  }
});

Deno.test("the report media types", () => {
  for (
    const type of [
      "application/csp-report",
      "application/reports+json",
      "application/json; charset=utf-8",
      "Application/CSP-Report",
    ]
  ) {
    assert.ok(isReportMediaType(type), type);
  }
  for (
    const type of [
      "",
      "text/plain",
      "application/csp-reportx",
      "multipart/form-data",
    ]
  ) {
    assert.ok(!isReportMediaType(type), type);
  }
});

Deno.test("cleanText strips controls and bidi marks and cuts with an ellipsis", () => {
  assert.equal(cleanText("a\r\nb\u2028c\u202ed\u0085e\u200ff", 100), "abcdef");
  assert.equal(cleanText("abcdef", 4), "abc…");
  assert.equal(
    cleanText("😀😀😀", 2),
    "😀…",
    "cut by code point, not UTF-16 unit",
  );
  assert.equal(cleanText("a\ud800b", 10), "a\ufffdb");
});

Deno.test("violationLine quotes every value", () => {
  assert.equal(
    violationLine({
      directive: "img-src",
      blocked: 'x" page="/fake',
      page: "/",
    }),
    'CSP violation: directive="img-src" blocked="x\\" page=\\"/fake" page="/"',
  );
});

// Anything JSON.parse can produce, and report-shaped values with hostile
// strings where the fields are.
const hostileString = fc.oneof(
  fc.string({ unit: "binary", maxLength: 400 }),
  fc.constantFrom(
    "inline",
    "eval",
    "https://x/?q#f",
    "javascript:x",
    "\u202e",
    "\n",
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
);
const field = fc.oneof(hostileString, fc.jsonValue({ maxDepth: 2 }));
const reportUri = fc.record({
  "csp-report": fc.dictionary(
    fc.constantFrom(
      "effective-directive",
      "violated-directive",
      "blocked-uri",
      "document-uri",
      "x",
    ),
    field,
  ),
});
const reportTo = fc.array(
  fc.record({
    type: fc.oneof(fc.constant("csp-violation"), hostileString),
    url: field,
    body: fc.oneof(
      fc.dictionary(
        fc.constantFrom("effectiveDirective", "blockedURL", "documentURL", "x"),
        field,
      ),
      field,
    ),
  }, { requiredKeys: [] }),
  { maxLength: 30 },
);
const anyBody = fc.oneof(
  fc.jsonValue(),
  reportUri,
  reportTo,
  fc.string({ unit: "binary" }).map((text) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }),
);

Deno.test("no report body makes the parser throw, and every line it yields is safe", () => {
  fc.assert(
    fc.property(anyBody, (body) => {
      const result = parseCspReports(body);
      if (result instanceof ParseError) return true;
      assert.ok(result.length <= MAX_REPORTS_PER_BODY);
      for (const violation of result) {
        assert.ok([...violation.directive].length <= MAX_DIRECTIVE_CHARS);
        assert.ok([...violation.blocked].length <= MAX_BLOCKED_CHARS);
        assert.ok([...violation.page].length <= MAX_PAGE_CHARS);
        const line = violationLine(violation);
        assert.doesNotMatch(
          line,
          // deno-lint-ignore no-control-regex
          /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/,
        );
        assert.ok(line.isWellFormed());
        assert.ok(line.length < 600);
      }
      return true;
    }),
    fuzzRuns(5301),
  );
});
