// DESKTOP_CHAT_CSP_CONNECT_SRC: chat-server nodes the policy's connect-src
// allows besides the configured primary and secondary, for nodes a sign-in
// reaches only by redirect (RFC 6120 §4.9.3.19 see-other-host, XEP-0124
// §17.2 see-other-uri), which the settings do not name.
import { ConfigError } from "./config.ts";

export const CSP_CONNECT_SRC_ENV = "DESKTOP_CHAT_CSP_CONNECT_SRC";

// CSP3 §2.3.1 host-source, narrowed to what a chat server is: an explicit
// http, https, ws or wss scheme (a scheme-less source would follow the
// page's scheme only), a host with an optional leading `*.` or an IPv6
// literal, an optional port or `:*`, and no path.
const ORIGIN_SOURCE =
  /^(https?|wss?):\/\/(\*\.)?([a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?\/?$/i;

/**
 * Parses a space- or comma-separated list of origins such as
 * `wss://imp2.example.com:7443 https://*.imp.example.com:7443`; empty or
 * unset means none. Throws {@link ConfigError} on anything else: a bare
 * scheme (`https:`) or `*` would let the page connect anywhere, and `;` or
 * a keyword would change the policy rather than add a node.
 */
export function parseCspConnectSrc(value: string | undefined): string[] {
  if (value === undefined) return [];
  const sources: string[] = [];
  for (const source of value.split(/[\s,]+/)) {
    if (source === "") continue;
    const match = ORIGIN_SOURCE.exec(source);
    const port = match?.[4];
    if (
      !match ||
      (port !== undefined && port !== "*" &&
        !(Number(port) >= 1 && Number(port) <= 65535))
    ) {
      throw new ConfigError(
        CSP_CONNECT_SRC_ENV,
        `${JSON.stringify(source)} is not a chat-server origin; expected ` +
          "an http, https, ws or wss origin such as wss://imp2.example.com:7443 " +
          "(a leading *. in the host and the port * are allowed, a path is not)",
      );
    }
    const normalized = source.toLowerCase().replace(/\/$/, "");
    if (!sources.includes(normalized)) sources.push(normalized);
  }
  return sources;
}
