import assert from "node:assert/strict";
import fc from "fast-check";
import { fuzzRuns } from "../tests/support/fuzz.ts";
import {
  CSP_REPORT_BODY_LIMIT,
  CSP_REPORT_PATH,
  cspReportRoutes,
} from "./csp_report_route.ts";
import type { ReportLimits } from "./csp_rate_limit.ts";

const LIMITS: ReportLimits = {
  burst: 2,
  perMinute: 2,
  globalBurst: 100,
  globalPerMinute: 100,
  maxClients: 100,
  summaryIntervalMs: 60_000,
};

const REPORT = JSON.stringify({
  "csp-report": {
    "document-uri": "http://127.0.0.1/?agent=x",
    "effective-directive": "script-src-elem",
    "blocked-uri": "inline",
  },
});
const LINE =
  'CSP violation: directive="script-src-elem" blocked="inline" page="/"';

function service(limits: ReportLimits = LIMITS) {
  const logged: string[] = [];
  let now = 0;
  const app = cspReportRoutes({
    log: (line) => logged.push(line),
    limits,
    now: () => now,
  });
  return {
    logged,
    advance: (ms: number) => {
      now += ms;
    },
    post: (
      body: BodyInit,
      type = "application/csp-report",
      hostname = "192.0.2.7",
    ) =>
      app.request(CSP_REPORT_PATH, {
        method: "POST",
        headers: { "Content-Type": type },
        body,
      }, { remoteAddr: { transport: "tcp", hostname, port: 50000 } }),
  };
}

Deno.test("a report is logged in one line and answered 204", async () => {
  const { post, logged } = service();
  const response = await post(REPORT);
  assert.equal(response.status, 204);
  assert.equal(await response.text(), "");
  assert.deepEqual(logged, [LINE]);
});

Deno.test("a Reporting API batch logs each CSP report, one token each", async () => {
  const { post, logged } = service({ ...LIMITS, burst: 3 });
  const report = (directive: string) => ({
    type: "csp-violation",
    url: "http://127.0.0.1/admin",
    body: { effectiveDirective: directive, blockedURL: "eval" },
  });
  const response = await post(
    JSON.stringify([
      report("script-src"),
      { type: "deprecation", body: {} },
      report("img-src"),
      report("font-src"),
      report("style-src"),
    ]),
    "application/reports+json",
  );
  assert.equal(response.status, 204);
  assert.deepEqual(logged, [
    'CSP violation: directive="script-src" blocked="eval" page="/admin"',
    'CSP violation: directive="img-src" blocked="eval" page="/admin"',
    'CSP violation: directive="font-src" blocked="eval" page="/admin"',
    "CSP reports: suppressed 1 report from 192.0.2.7",
  ]);
});

Deno.test("over the limit: 429 with Retry-After, not logged, summed up once a minute", async () => {
  const { post, logged, advance } = service();
  assert.equal((await post(REPORT)).status, 204);
  assert.equal((await post(REPORT)).status, 204);
  const refused = await post(REPORT);
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("Retry-After"), "30");
  await refused.body?.cancel();
  for (let i = 0; i < 5; i++) await (await post(REPORT)).body?.cancel();
  assert.deepEqual(logged, [
    LINE,
    LINE,
    "CSP reports: suppressed 1 report from 192.0.2.7",
  ]);
  const other = await post(REPORT, "application/csp-report", "192.0.2.8");
  assert.equal(other.status, 204, "another address is not held back");
  advance(60_000);
  assert.equal((await post(REPORT)).status, 204);
  assert.deepEqual(logged.slice(3), [
    LINE,
    "CSP reports: suppressed 5 reports from 192.0.2.7",
    LINE,
  ]);
});

Deno.test("refusals: wrong type 415, bad JSON or shape 400, nothing logged", async () => {
  const { post, logged } = service({ ...LIMITS, burst: 10 });
  const cases: [BodyInit, string, number][] = [
    [REPORT, "text/plain", 415],
    [REPORT, "", 415],
    ["{", "application/csp-report", 400],
    ['{"csp-report": 1}', "application/csp-report", 400],
    ["\xff\xfe", "application/reports+json", 400],
    [new Uint8Array([0xc3, 0x28]), "application/csp-report", 400],
  ];
  for (const [body, type, status] of cases) {
    const response = await post(body, type);
    assert.equal(response.status, status, `${type} ${String(body)}`);
    assert.match(response.headers.get("Content-Type") ?? "", /json/);
    await response.body?.cancel();
  }
  assert.deepEqual(logged, []);
});

Deno.test("a body over 8 KiB is refused by the bytes that arrive, not Content-Length", async () => {
  const { post, logged } = service();
  const padding = "x".repeat(CSP_REPORT_BODY_LIMIT);
  // A stream has no Content-Length: the route must count.
  const chunks = [REPORT.slice(0, -2), `,"pad":"${padding}"}}`];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks.shift();
      if (chunk === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(chunk));
    },
  });
  const response = await post(body);
  assert.equal(response.status, 413);
  await response.body?.cancel();
  assert.deepEqual(logged, []);
  const small = await post(REPORT);
  assert.equal(small.status, 204, "the next, small report passes");
});

Deno.test("no body or media type makes the route fail with a 5xx", async () => {
  const { post } = service({ ...LIMITS, burst: 1e9, globalBurst: 1e9 });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ unit: "binary", maxLength: 300 }),
        fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
        fc.uint8Array({ maxLength: 300 }),
      ),
      fc.constantFrom(
        "application/csp-report",
        "application/reports+json",
        "application/json",
        "text/plain",
      ),
      async (body, type) => {
        const response = await post(body, type);
        await response.body?.cancel();
        return [204, 400, 415].includes(response.status);
      },
    ),
    fuzzRuns(5302),
  );
});
