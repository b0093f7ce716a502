// The Content-Security-Policy of every response, as pure functions of the
// chat servers, the configured extra sources and frame-ancestors. CSP Level 3
// (https://www.w3.org/TR/CSP3/) is cited by section, Trusted Types
// (https://w3c.github.io/trusted-types/dist/spec/) by directive name.
import type { ChatServerSettings } from "../shared/settings/settings_rules.ts";

export interface PolicyInput {
  /** `primary` and `secondary` of the current settings: URLs or `""`. */
  readonly chatServers: readonly string[];
  /** DESKTOP_CHAT_CSP_CONNECT_SRC: nodes reached only by redirect. */
  readonly extraConnectSrc: readonly string[];
  /** DESKTOP_CHAT_FRAME_ANCESTORS; `'self'` when empty. */
  readonly frameAncestors: readonly string[];
  /** Same-origin path of the report endpoint, such as `/api/csp-report`. */
  readonly reportPath: string;
  /**
   * Name of the endpoint in {@link reportingEndpoints}, for a page served
   * over https only: Chromium registers Reporting-Endpoints only from a
   * secure response, yet ignores report-uri whenever report-to is present,
   * so over http a report-to would silence every report.
   */
  readonly reportGroup?: string;
}

/**
 * The origin of each chat server, in order, without duplicates. A BOSH URL
 * such as `https://imp.example.com:7443/http-bind` needs only its origin:
 * a path in a CSP source is not matched after a redirect (CSP3 §6.7.2),
 * and the element reaches nothing else on that host. `ws:`/`wss:` origins
 * are kept as such, since a `https:` source would not match them; each
 * also brings the `http:`/`https:` origin of the same host and port, where
 * the chat server's HTTP services live (RFC 7395 §3: the WebSocket is an
 * upgraded HTTP connection), such as its XEP-0363 file upload, which a
 * `ws:` source does not match.
 */
export function chatServerOrigins(servers: readonly string[]): string[] {
  const origins: string[] = [];
  for (const server of servers) {
    if (!URL.canParse(server)) continue;
    const url = new URL(server);
    if (!/^(?:https?|wss?):$/.test(url.protocol)) continue;
    const http = url.protocol.startsWith("ws")
      ? [`${url.protocol === "wss:" ? "https" : "http"}://${url.host}`]
      : [];
    for (const origin of [url.origin, ...http]) {
      if (!origins.includes(origin)) origins.push(origin);
    }
  }
  return origins;
}

/** The servers of `settings` the policy's connect-src follows. */
export function settingsServers(
  settings: Pick<ChatServerSettings, "primary" | "secondary">,
): string[] {
  return [settings.primary, settings.secondary];
}

/**
 * The policy text. Everything is same-origin except what the element must
 * reach: the chat servers (connect-src) and whoever may frame the page.
 */
export function contentSecurityPolicy(input: PolicyInput): string {
  const connect = ["'self'"];
  for (
    const source of [
      ...chatServerOrigins(input.chatServers),
      ...input.extraConnectSrc,
    ]
  ) {
    if (!connect.includes(source)) connect.push(source);
  }
  const frameAncestors = input.frameAncestors.length === 0
    ? ["'self'"]
    : input.frameAncestors;
  const directives: [string, ...string[]][] = [
    // CSP3 §6.1.3: whatever is not listed below is not loaded at all.
    ["default-src", "'none'"],
    // Only the bundles this service serves: no inline script, no eval
    // (CSP3 §6.1.10: eval needs 'unsafe-eval'), no other host.
    ["script-src", "'self'"],
    // The shell and admin CSS files. The element's own CSS is adopted as
    // constructed sheets (islands/adopt_styles.ts), which CSP does not
    // govern; its <style> fallback, for browsers without them, is blocked
    // here on purpose rather than allowing 'unsafe-inline' for every page.
    ["style-src", "'self'"],
    // `data:` for the pages' empty favicon (`<link rel="icon" href="data:,">`).
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    // The settings API on this origin, and BOSH/WebSocket to the chat servers.
    ["connect-src", ...connect],
    ["object-src", "'none'"],
    // CSP3 §6.3.1: no <base> may re-point the bundles' relative URLs.
    ["base-uri", "'none'"],
    ["form-action", "'self'"],
    ["frame-ancestors", ...frameAncestors],
    // Trusted Types, require-trusted-types-for: string assignments to
    // script sinks (innerHTML, script.text, …) throw; trusted-types 'none'
    // lets no code create a policy,
    // since the element renders only text nodes (Preact, no
    // dangerouslySetInnerHTML), so nothing legitimate needs one.
    ["require-trusted-types-for", "'script'"],
    ["trusted-types", "'none'"],
    // report-to (CSP3 §6.5.2, Reporting API) where supported; browsers
    // that honour it ignore report-uri (§6.5.1), older ones use that.
    ["report-uri", input.reportPath],
  ];
  if (input.reportGroup !== undefined) {
    directives.push(["report-to", input.reportGroup]);
  }
  return directives.map((directive) => directive.join(" ")).join("; ");
}

/**
 * The `Reporting-Endpoints` header naming the report endpoint (Reporting
 * API §3.2); the URL is resolved against the response's own URL, so no
 * Host header reaches it.
 */
export function reportingEndpoints(
  input: { readonly reportGroup: string; readonly reportPath: string },
): string {
  return `${input.reportGroup}="${input.reportPath}"`;
}
