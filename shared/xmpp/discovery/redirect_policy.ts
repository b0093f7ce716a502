// Where a chat server may send a sign-in: the checks a redirect must pass
// (XEP-0124 §17.2 see-other-uri, RFC 6120 §4.9.3.19 see-other-host), and
// the see-other-host stream error read from the wire. Pure functions;
// server_discovery.ts follows what they allow.
import { checkServerUrl } from "../../settings/settings_rules.ts";
import type { XmlElement } from "../core/connection.ts";
import { StreamError } from "../core/errors.ts";
import { isSecureService } from "../transport/secure_service.ts";

const NS_STREAMS = "http://etherx.jabber.org/streams";
const NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams";

export type RedirectCheck =
  | { readonly ok: true; readonly service: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Where a redirect may lead. Only http, https, ws and wss are chat-server
 * transports in a browser, and the redirect names an address the node chose,
 * to which the user's credentials then go: `javascript:`, `data:` or `blob:`
 * would let fetch or WebSocket read content no chat server sent, `file:`
 * would read local files, and `xmpp:`/TCP cannot be opened from a page. A
 * secure node may not send the sign-in to an insecure one either: the
 * password exchange and the chats would cross the network in clear, and a
 * page served over https may not fetch http anyway (mixed content).
 */
export function checkRedirectTarget(
  from: string,
  target: string,
): RedirectCheck {
  const check = checkServerUrl(target);
  if (!check.ok) {
    return {
      ok: false,
      reason:
        "it is not a plain http, https, ws or wss address (no credentials, query or fragment)",
    };
  }
  if (isSecureService(from) && !isSecureService(check.href)) {
    return {
      ok: false,
      reason:
        "it would move the sign-in from a secure connection to one in clear",
    };
  }
  return { ok: true, service: check.href };
}

// RFC 6120 §4.9.3.19: a domain name or IP address, an IPv6 address in
// brackets, optionally followed by ":port".
const HOST = /^(\[[0-9a-f:.]+\]|[^\s\\/?#@[\]:]+)(?::(\d{1,5}))?$/i;
const MAX_HOST_CHARS = 1029;

/**
 * The service URL a `see-other-host` stream error points to. RFC 6120 gives
 * a host and port for TCP only; for BOSH and WebSocket the scheme and path
 * are kept, and the port too when none is given, because the nodes of an
 * IM&P cluster serve the same binding path on the same port (seed: the URL
 * is https://<hostname>:5280/URL-binding-path on every node).
 */
export function seeOtherHostService(
  from: string,
  host: string,
): RedirectCheck {
  const match = host.length <= MAX_HOST_CHARS ? HOST.exec(host.trim()) : null;
  if (!match || !URL.canParse(from)) {
    return { ok: false, reason: "the host it names is not a host name" };
  }
  const current = new URL(from);
  const port = match[2] ?? current.port;
  const authority = port ? `${match[1]}:${port}` : match[1];
  return checkRedirectTarget(
    from,
    `${current.protocol}//${authority}${current.pathname}`,
  );
}

/**
 * A `see-other-host` stream error (RFC 6120 §4.9.3.19), with the host it
 * names as sent (checked by seeOtherHostService before it is followed).
 */
export class SeeOtherHostError extends StreamError {
  readonly host: string;

  constructor(host: string) {
    super(
      "see-other-host",
      "The chat server sent the sign-in to another server (see-other-host).",
      { text: host },
    );
    this.name = "SeeOtherHostError";
    this.host = host;
  }
}

/**
 * The see-other-host error in an element from the server, if it is one:
 * `<stream:error><see-other-host>host</see-other-host></stream:error>`.
 * Wire data: anything else is undefined, never a throw.
 */
export function seeOtherHostError(
  element: XmlElement,
): SeeOtherHostError | undefined {
  if (!element.is("error", NS_STREAMS)) return undefined;
  const host = element.getChild("see-other-host", NS_STREAM_ERRORS);
  if (host === undefined) return undefined;
  const text = host.children.filter((child) => typeof child === "string")
    .join("").slice(0, MAX_HOST_CHARS + 1);
  return new SeeOtherHostError(text);
}
