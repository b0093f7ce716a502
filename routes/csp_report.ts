// Violation reports as browsers send them, read as hostile wire data: the
// CSP3 §5.3 `application/csp-report` body of report-uri, and the Reporting
// API's `application/reports+json` list (type "csp-violation", CSP3 §5.4).
// Pure functions; csp_report_route.ts reads the body and logs the result.
import { ParseError } from "../shared/xmpp/core/errors.ts";

/** One violation, reduced to what an operator needs and safe to log. */
export interface CspViolation {
  /** The effective directive, such as `script-src-elem`. */
  readonly directive: string;
  /** `inline`, `eval`, `trusted-types-sink`, … or a URL without query. */
  readonly blocked: string;
  /** Path of the page that broke the policy, without query. */
  readonly page: string;
}

export const MAX_DIRECTIVE_CHARS = 40;
export const MAX_BLOCKED_CHARS = 200;
export const MAX_PAGE_CHARS = 200;
/** Reports read from one Reporting API batch; the rest are ignored. */
export const MAX_REPORTS_PER_BODY = 20;

/** Whether a request's Content-Type is one a report arrives with. */
export function isReportMediaType(contentType: string): boolean {
  // application/json too: some browsers sent report-uri bodies as JSON.
  return /^application\/(?:csp-report|reports\+json|json)\s*(?:;|$)/i.test(
    contentType,
  );
}

/**
 * The violations in a parsed report body: a `{"csp-report": {...}}` object
 * (report-uri) or a list of reports of which the `csp-violation` ones count
 * (report-to; others, such as deprecation reports, are skipped). Never throws.
 */
export function parseCspReports(body: unknown): CspViolation[] | ParseError {
  if (Array.isArray(body)) {
    const violations: CspViolation[] = [];
    for (const report of body.slice(0, MAX_REPORTS_PER_BODY)) {
      if (!isRecord(report) || report.type !== "csp-violation") continue;
      const inner = isRecord(report.body) ? report.body : {};
      violations.push(violation(
        inner.effectiveDirective,
        inner.blockedURL,
        inner.documentURL ?? report.url,
      ));
    }
    return violations;
  }
  if (isRecord(body) && isRecord(body["csp-report"])) {
    const report = body["csp-report"];
    return [violation(
      report["effective-directive"] ?? report["violated-directive"],
      report["blocked-uri"],
      report["document-uri"],
    )];
  }
  return new ParseError(
    "bad-report",
    'expected {"csp-report": {...}} or a list of reports',
  );
}

function violation(
  directive: unknown,
  blocked: unknown,
  page: unknown,
): CspViolation {
  return {
    directive: directiveName(directive),
    blocked: blockedResource(blocked),
    page: pagePath(page),
  };
}

// A directive name is a token (CSP3 §2.2.1); older browsers sent the whole
// violated directive ("script-src 'self'"), of which the name is enough.
function directiveName(value: unknown): string {
  const name = typeof value === "string" ? value.split(" ", 1)[0] : "";
  return /^[a-z][a-z0-9-]*$/i.test(name) && name.length <= MAX_DIRECTIVE_CHARS
    ? name.toLowerCase()
    : "unknown";
}

// A network URL loses its query, fragment and credentials (a token in them
// is not the log's business); any other URL (data:, blob:, javascript:,
// an extension's) is named by its scheme alone; a keyword such as "inline"
// or "eval" (CSP3 §5.3) is kept as sent.
function blockedResource(value: unknown): string {
  if (typeof value !== "string" || value === "") return "-";
  if (!URL.canParse(value)) return cleanText(value, MAX_BLOCKED_CHARS);
  const url = new URL(value);
  if (!/^(?:https?|wss?):$/.test(url.protocol)) {
    return cleanText(url.protocol, MAX_BLOCKED_CHARS);
  }
  url.username =
    url.password =
    url.search =
    url.hash =
      "";
  return cleanText(url.href, MAX_BLOCKED_CHARS);
}

function pagePath(value: unknown): string {
  if (typeof value !== "string" || !URL.canParse(value)) return "-";
  return cleanText(new URL(value).pathname, MAX_PAGE_CHARS);
}

// C0 and C1 controls, DEL, the line and paragraph separators and the bidi
// controls (Unicode TR9 §2): none may forge a line or reorder one in a log.
const UNSAFE_CHARS =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/**
 * `text` without control characters, cut to `maxChars` code points (an
 * ellipsis marks the cut), with a lone surrogate replaced by U+FFFD.
 */
export function cleanText(text: string, maxChars: number): string {
  const chars = Array.from(text.toWellFormed().replace(UNSAFE_CHARS, ""));
  return chars.length <= maxChars
    ? chars.join("")
    : `${chars.slice(0, maxChars - 1).join("")}…`;
}

/** The one log line of a violation; every value is JSON-quoted. */
export function violationLine(violation: CspViolation): string {
  return `CSP violation: directive=${JSON.stringify(violation.directive)} ` +
    `blocked=${JSON.stringify(violation.blocked)} page=${
      JSON.stringify(violation.page)
    }`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
