// `POST /api/csp-report`: where browsers send the policy's violation
// reports (report-uri and report-to, csp_policy.ts). Anyone may post, since
// a report is anonymous by design and changes nothing but the log; hence no
// same-origin check (the public origin behind a proxy differs from the
// request's), only a byte limit and a rate limit per client address.
import { Hono } from "hono";
import { clientAddress } from "./client_address.ts";
import { readJsonBody } from "./json_body.ts";
import { jsonError, jsonErrors } from "./json_error.ts";
import {
  isReportMediaType,
  parseCspReports,
  violationLine,
} from "./csp_report.ts";
import { ParseError } from "../shared/xmpp/core/errors.ts";
import { type ReportLimits, ReportRateLimiter } from "./csp_rate_limit.ts";

export const CSP_REPORT_PATH = "/api/csp-report";
/** The endpoint's name in Reporting-Endpoints and the policy's report-to. */
export const CSP_REPORT_GROUP = "csp-endpoint";
/** A report is well under 2 KiB; a Reporting API batch may hold several. */
export const CSP_REPORT_BODY_LIMIT = 8 * 1024;

export interface CspReportRoutesOptions {
  /** Where each accepted report's line goes; `console.warn` by default. */
  readonly log?: (line: string) => void;
  readonly limits?: ReportLimits;
  readonly now?: () => number;
}

export function cspReportRoutes(options: CspReportRoutesOptions = {}): Hono {
  const log = options.log ?? ((line: string) => console.warn(line));
  const limiter = new ReportRateLimiter(options.limits, options.now);
  const app = new Hono();
  app.onError(jsonErrors);
  app.post(CSP_REPORT_PATH, async (c) => {
    const address = clientAddress(c);
    // Before the body is read: a refused sender costs no parsing.
    const first = limiter.admit(address);
    if (first.summary) log(first.summary);
    if (!first.admitted) {
      throw jsonError(429, "Too many reports; try again later.", {
        headers: { "Retry-After": String(first.retryAfterSeconds) },
      });
    }
    if (!isReportMediaType(c.req.header("Content-Type") ?? "")) {
      throw jsonError(
        415,
        "Send a report as application/csp-report or application/reports+json.",
      );
    }
    const violations = parseCspReports(
      await readJsonBody(asJson(c.req.raw), CSP_REPORT_BODY_LIMIT),
    );
    if (violations instanceof ParseError) {
      throw jsonError(400, `Not a violation report: ${violations.message}.`);
    }
    // One token per logged line: the first report has the request's, each
    // further one in a Reporting API batch takes its own.
    const [head, ...rest] = violations;
    if (head) log(violationLine(head));
    for (const violation of rest) {
      const admission = limiter.admit(address);
      if (admission.summary) log(admission.summary);
      if (admission.admitted) log(violationLine(violation));
    }
    return c.body(null, 204);
  });
  return app;
}

// readJsonBody reads JSON media types only, but the report types are JSON
// too (CSP3 §5.3, Reporting API §2.4): the same byte-counted read applies.
function asJson(request: Request): Request {
  const headers = new Headers(request.headers);
  headers.set("Content-Type", "application/json");
  return new Request(request, { headers });
}
