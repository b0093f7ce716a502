import type { Context, MiddlewareHandler } from "hono";
import { type HostPolicy, misdirected } from "./host_policy.ts";
import { jsonError } from "./json_error.ts";

export interface SameOriginWritesOptions {
  /**
   * Origins besides the request's own that may write, such as the public
   * origin when a proxy terminates TLS (`https://chat.example.com`).
   */
  readonly allowedOrigins?: readonly string[];
  /** Whether the request's own origin (from its Host) counts at all. */
  readonly hosts: HostPolicy;
}

// RFC 9110 §9.2.1: only these are safe; anything else changes state.
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
// Fetch Metadata: `none` is a navigation the user typed; `same-site` is
// refused too, as another application on a sibling host must not write here.
const ALLOWED_FETCH_SITES = new Set(["same-origin", "none"]);

/** Refuses cross-site writes (CSRF) with 403; see {@link refuseCrossSiteWrite}. */
export function sameOriginWrites(
  options: SameOriginWritesOptions,
): MiddlewareHandler {
  const allowed = originSet(options.allowedOrigins ?? []);
  return async function sameOriginWrites(c, next) {
    refuseCrossSiteWrite(c, allowed, options.hosts);
    return await next();
  };
}

/** Normalizes configured origins (`https://Host:443` → `https://host`) for the check. */
export function originSet(origins: readonly string[]): ReadonlySet<string> {
  return new Set(origins.map((origin) => {
    const url = new URL(origin);
    if (url.origin === "null") throw new TypeError(`not an origin: ${origin}`);
    return url.origin;
  }));
}

/**
 * Throws 403 for an unsafe request from another site. Browsers send `Origin`
 * on every unsafe request; when it is missing, `Sec-Fetch-Site` decides, and
 * a client sending neither (curl, scripts) is not a browser and may pass.
 * The request's own origin counts only for a Host the service answers for
 * (host_policy.ts): a DNS-rebinding page sends its own name as Host and as
 * Origin alike.
 */
export function refuseCrossSiteWrite(
  c: Context,
  allowed: ReadonlySet<string>,
  hosts: HostPolicy,
): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  const origin = c.req.header("Origin");
  if (origin !== undefined) {
    if (allowed.has(origin)) return;
    const own = hosts.trustedOrigin(c);
    // Same-origin by its own word, for a host not configured: say what to set.
    if (own === undefined && origin === new URL(c.req.url).origin) {
      throw misdirected();
    }
    // `Origin: null` (sandboxed frames, file: pages) never matches.
    if (origin !== own) {
      throw jsonError(
        403,
        "Cross-origin request refused: this origin may not change settings.",
      );
    }
    return;
  }
  const site = c.req.header("Sec-Fetch-Site");
  if (site !== undefined && !ALLOWED_FETCH_SITES.has(site)) {
    throw jsonError(
      403,
      "Cross-site request refused: this page may not change settings.",
    );
  }
}
