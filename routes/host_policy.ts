// Which Host a request may name for the service to use it. The Host header
// is the client's text: written into the gadget XML it would let anybody
// serve our gadget pointing at their scripts (via a shared cache), and
// compared with Origin it would let a DNS-rebinding page pass as our own
// origin. So the request's own origin counts only when its host is listed
// (DESKTOP_CHAT_ALLOWED_HOSTS), or is a loopback name in dev mode.
import type { Context } from "hono";
import type { HTTPException } from "hono/http-exception";
import { jsonError } from "./json_error.ts";
import {
  AdminAuthConfigError,
  type Env,
  parseList,
} from "./setting_parsers.ts";

export const ALLOWED_HOSTS_ENV = "DESKTOP_CHAT_ALLOWED_HOSTS";
export const PUBLIC_ORIGIN_ENV = "DESKTOP_CHAT_PUBLIC_ORIGIN";

interface HostPattern {
  readonly hostname: string;
  /** Undefined: any port. */
  readonly port: string | undefined;
}

export class HostPolicy {
  readonly #patterns: readonly HostPattern[];

  /**
   * @param allowedHosts `host` (any port) or `host:port`, as parsed by {@link parseAllowedHosts}.
   * @param allowLoopback dev mode: localhost, 127.0.0.0/8 and [::1] too.
   */
  constructor(
    allowedHosts: readonly string[],
    readonly allowLoopback: boolean,
  ) {
    this.#patterns = allowedHosts.map((entry) => {
      const pattern = hostPattern(entry);
      if (pattern === undefined) throw new TypeError(`not a host: ${entry}`);
      return pattern;
    });
  }

  /** The request's own origin when its Host is one the service answers for. */
  trustedOrigin(c: Context): string | undefined {
    const url = new URL(c.req.url);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    if (this.allowLoopback && isLoopback(url.hostname)) return url.origin;
    const listed = this.#patterns.some((pattern) =>
      pattern.hostname === url.hostname &&
      (pattern.port === undefined || pattern.port === port)
    );
    return listed ? url.origin : undefined;
  }
}

/**
 * RFC 9110 §15.5.20: 421 Misdirected Request, for a Host the service does
 * not answer for. The Host itself is not repeated: it is the client's text.
 */
export function misdirected(): HTTPException {
  return jsonError(
    421,
    `This service does not answer for the host name in this request. Set ${PUBLIC_ORIGIN_ENV} ` +
      `to the address browsers use (such as https://chat.example.com), or list this host in ${ALLOWED_HOSTS_ENV}.`,
  );
}

/** Reads DESKTOP_CHAT_ALLOWED_HOSTS: `host` or `host:port`, separated by commas or spaces. */
export function parseAllowedHosts(env: Env): string[] {
  return parseList(env[ALLOWED_HOSTS_ENV]).map((entry) => {
    const pattern = hostPattern(entry);
    if (pattern === undefined) {
      throw new AdminAuthConfigError(
        ALLOWED_HOSTS_ENV,
        `expected host names such as chat.example.com or chat.example.com:8443, got ${
          JSON.stringify(entry)
        }`,
      );
    }
    return pattern.port === undefined
      ? pattern.hostname
      : `${pattern.hostname}:${pattern.port}`;
  });
}

function hostPattern(entry: string): HostPattern | undefined {
  if (/[/?#@\s]/.test(entry)) return undefined;
  const url = URL.parse(`http://${entry}`);
  if (url === null || url.hostname === "") return undefined;
  // The URL parser drops :80 for http; the entry says whether a port was given.
  const port = /:(\d{1,5})$/.exec(entry)?.[1];
  if (port !== undefined && Number(port) > 65535) return undefined;
  return {
    hostname: url.hostname,
    port: port === undefined ? undefined : String(Number(port)),
  };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") ||
    /^127(?:\.\d{1,3}){3}$/.test(hostname) || hostname === "[::1]";
}

/** Reads DESKTOP_CHAT_PUBLIC_ORIGIN: an http(s) origin, or undefined when unset. */
export function parsePublicOrigin(
  value: string | undefined,
): string | undefined {
  if (value === undefined || value === "") return undefined;
  const url = URL.parse(value);
  if (url === null) {
    throw new AdminAuthConfigError(
      PUBLIC_ORIGIN_ENV,
      `${JSON.stringify(value)} is not a URL`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new AdminAuthConfigError(
      PUBLIC_ORIGIN_ENV,
      `expected an http: or https: origin, got ${JSON.stringify(value)}`,
    );
  }
  if (
    url.pathname !== "/" || url.search !== "" || url.hash !== "" ||
    url.username !== "" || url.password !== ""
  ) {
    throw new AdminAuthConfigError(
      PUBLIC_ORIGIN_ENV,
      `expected an origin without path, query or credentials (such as ${url.origin}), got ${
        JSON.stringify(value)
      }`,
    );
  }
  return url.origin;
}
