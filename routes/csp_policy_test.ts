import assert from "node:assert/strict";
import {
  chatServerOrigins,
  contentSecurityPolicy,
  type PolicyInput,
  reportingEndpoints,
} from "./csp_policy.ts";

const INPUT: PolicyInput = {
  chatServers: ["https://imp1.example.com:7443/http-bind", ""],
  extraConnectSrc: [],
  frameAncestors: ["'self'", "https://finesse.example.com:8445"],
  reportPath: "/api/csp-report",
  reportGroup: "csp-endpoint",
};

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split("; ").map((directive) => {
      const [name, ...values] = directive.split(" ");
      return [name, values];
    }),
  );
}

Deno.test("the policy, directive by directive", () => {
  const policy = contentSecurityPolicy(INPUT);
  assert.deepEqual(
    [...directives(policy)],
    [
      ["default-src", ["'none'"]],
      ["script-src", ["'self'"]],
      ["style-src", ["'self'"]],
      ["img-src", ["'self'", "data:"]],
      ["font-src", ["'self'"]],
      ["connect-src", ["'self'", "https://imp1.example.com:7443"]],
      ["object-src", ["'none'"]],
      ["base-uri", ["'none'"]],
      ["form-action", ["'self'"]],
      ["frame-ancestors", ["'self'", "https://finesse.example.com:8445"]],
      ["require-trusted-types-for", ["'script'"]],
      ["trusted-types", ["'none'"]],
      ["report-uri", ["/api/csp-report"]],
      ["report-to", ["csp-endpoint"]],
    ],
  );
  assert.doesNotMatch(policy, /unsafe|\*|nonce|sha256/);
});

Deno.test("connect-src: the chat servers' origins, then the extra sources, once each", () => {
  const connect = directives(contentSecurityPolicy({
    ...INPUT,
    chatServers: [
      "https://imp1.example.com:7443/http-bind",
      "wss://IMP2.example.com/xmpp-websocket",
    ],
    extraConnectSrc: [
      "wss://*.imp.example.com:7443",
      "https://imp1.example.com:7443",
    ],
  })).get("connect-src");
  assert.deepEqual(connect, [
    "'self'",
    "https://imp1.example.com:7443",
    "wss://imp2.example.com",
    "https://imp2.example.com",
    "wss://*.imp.example.com:7443",
  ]);
});

Deno.test("no report-to without an endpoint name (pages over http)", () => {
  const { reportGroup: _, ...plain } = INPUT;
  const policy = contentSecurityPolicy(plain);
  assert.ok(policy.endsWith("; report-uri /api/csp-report"), policy);
  assert.doesNotMatch(policy, /report-to/);
});

Deno.test("frame-ancestors is 'self' when none are configured", () => {
  assert.deepEqual(
    directives(contentSecurityPolicy({ ...INPUT, frameAncestors: [] }))
      .get("frame-ancestors"),
    ["'self'"],
  );
});

Deno.test("chatServerOrigins keeps only http(s) and ws(s) origins", () => {
  assert.deepEqual(
    chatServerOrigins([
      "http://127.0.0.1:5280/http-bind",
      "ws://127.0.0.1:5280/xmpp-websocket",
      "https://imp.example.com:443/http-bind",
      "https://imp.example.com/other",
      "",
      "not a url",
      "javascript:alert(1)",
      "data:text/plain,x",
      "https://xn--bcher-kva.example:7443/http-bind",
    ]),
    [
      "http://127.0.0.1:5280",
      "ws://127.0.0.1:5280",
      "https://imp.example.com",
      "https://xn--bcher-kva.example:7443",
    ],
  );
});

Deno.test("a WebSocket chat server also brings its host's HTTP origin (its file upload)", () => {
  assert.deepEqual(
    chatServerOrigins([
      "wss://imp.example.com:7443/ws",
      "ws://127.0.0.1:5280/xmpp-websocket",
    ]),
    [
      "wss://imp.example.com:7443",
      "https://imp.example.com:7443",
      "ws://127.0.0.1:5280",
      "http://127.0.0.1:5280",
    ],
  );
});

Deno.test("Reporting-Endpoints names the report path, relative to the response", () => {
  assert.equal(
    reportingEndpoints({
      reportGroup: "csp-endpoint",
      reportPath: "/api/csp-report",
    }),
    'csp-endpoint="/api/csp-report"',
  );
});
