// Which HTTP addresses an attachment may travel through: the URLs of an
// upload slot (XEP-0363 §4) and of an offer (XEP-0447 §3.2 url-data,
// XEP-0066 oob), all from the wire. https always; plain http only beside a
// chat server that is itself plain http or on loopback (its session
// already travels in clear, and its upload service comes with it). An
// XEP-0447 offer must also carry a hash for an http source (§5: without
// one, insecure sources MUST be ignored; file_offer.ts); a bare XEP-0066
// link, which has no such rule, follows the chat server alone.
import { MAX_URL_LENGTH } from "../../settings/settings_rules.ts";

export type FileUrlProblem =
  | "too-long"
  | "malformed"
  | "scheme"
  | "insecure"
  | "credentials"
  | "no-host";

export type FileUrlCheck =
  | { readonly ok: true; readonly href: string }
  | { readonly ok: false; readonly problem: FileUrlProblem };

// Whitespace and controls are never part of a URL on the wire (RFC 3986
// §2); the WHATWG parser would silently strip some of them.
// deno-lint-ignore no-control-regex
const BAD_CHARACTERS = /[\s\u0000-\u001f\u007f-\u009f]/u;

/** RFC 6761 §6.3 `localhost`, IPv4 127/8 (RFC 1122 §3.2.1.3), IPv6 ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") ||
    /^127(?:\.\d{1,3}){3}$/.test(host) || host === "[::1]";
}

/**
 * Whether plain-http file URLs are acceptable next to this chat server
 * (the settings' BOSH or WebSocket URL): yes when the server itself is
 * http/ws, or on loopback (dev and tests), so the upload service that
 * comes with it (Prosody mod_http_file_share, ejabberd mod_http_upload)
 * works as configured; never beside an https/wss server.
 */
export function plainHttpAllowedBeside(chatServerUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(chatServerUrl);
  } catch {
    // Not a URL: nothing is known about it, so nothing is relaxed.
    return false;
  }
  return url.protocol === "http:" || url.protocol === "ws:" ||
    isLoopbackHost(url.hostname);
}

/**
 * Checks a file URL from the wire: https, or plain http when `allowHttp`;
 * credentials in the URL are refused, as they would be sent to whoever
 * the URL names and can disguise its host.
 */
export function checkFileUrl(
  raw: string | undefined,
  allowHttp: boolean,
): FileUrlCheck {
  if (raw === undefined) return fail("malformed");
  const text = raw.trim();
  if (text.length > MAX_URL_LENGTH) return fail("too-long");
  if (text === "" || BAD_CHARACTERS.test(text)) return fail("malformed");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The parser's own message names nothing the agent can act on.
    return fail("malformed");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return fail("scheme");
  }
  if (url.hostname === "") return fail("no-host");
  if (url.username !== "" || url.password !== "") return fail("credentials");
  if (url.protocol === "http:" && !allowHttp) return fail("insecure");
  if (url.href.length > MAX_URL_LENGTH) return fail("too-long");
  return { ok: true, href: url.href };
}

function fail(problem: FileUrlProblem): FileUrlCheck {
  return { ok: false, problem };
}
