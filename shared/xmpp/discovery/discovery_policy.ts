// The decisions of chat-server discovery, as pure functions: which node to
// try next, whether a failure lets the sign-in move on to another node, and
// where a redirect may lead. server_discovery.ts runs them against real
// connections.
//
// Seed, "Desktop Chat Server Settings": the secondary "will be connected for
// discovery only if the primary node is unreachable". So only a node that
// could not be reached moves the sign-in on; a node that answered (a wrong
// password, an unknown domain, a protocol error) has the last word.
import type { ChatServerSettings } from "../../settings/settings_schema.ts";
import { checkServerUrl } from "../../settings/settings_schema.ts";
import { StreamError, TransportError, type XmppError } from "../core/errors.ts";
import { isSecureService } from "../transport/secure_service.ts";

export type NodeSource = "cache" | "primary" | "secondary";

export interface Candidate {
  readonly service: string;
  readonly source: NodeSource;
}

export type ServerList = Pick<ChatServerSettings, "primary" | "secondary">;

/** Redirects followed in one sign-in, so two nodes cannot bounce it forever. */
export const MAX_REDIRECTS = 3;

/**
 * The nodes still to try, best first: the cached node, then the primary,
 * then the secondary (roadmap item 3: the server list is an ordered input),
 * without repeats and without those that already failed as unreachable.
 */
export function nextCandidates(
  servers: ServerList,
  cached: string | undefined,
  failed: readonly string[],
): Candidate[] {
  const all: Candidate[] = [
    { service: cached ?? "", source: "cache" },
    { service: servers.primary, source: "primary" },
    { service: servers.secondary, source: "secondary" },
  ];
  const seen = new Set(failed);
  const out: Candidate[] = [];
  for (const candidate of all) {
    if (candidate.service === "" || seen.has(candidate.service)) continue;
    seen.add(candidate.service);
    out.push(candidate);
  }
  return out;
}

/**
 * Whether the node could not be reached or cannot serve anyone right now,
 * which is what lets a sign-in move on to the next node.
 */
export function isNodeUnavailable(error: XmppError): boolean {
  if (error.kind === "timeout") return true;
  if (error instanceof TransportError) {
    switch (error.condition) {
      // Connection refused, DNS failure, reset: fetch rejected after retries.
      case "unreachable":
      // A WebSocket that failed before or during the sign-in: the WebSocket
      // API deliberately tells a page nothing more (WHATWG HTML "fail the
      // WebSocket connection"), so a refused connection looks like this.
      case "connection-lost":
      // XEP-0124 §17.2: the node is going down, or its connection manager
      // cannot reach the XMPP service behind it.
      case "system-shutdown":
      case "remote-connection-failed":
        return true;
      case "http-error":
        // 5xx (a proxy in front of a dead node answers 502/503/504) and
        // status 0; any other status came from a server that is up.
        return error.status === undefined || error.status === 0 ||
          error.status >= 500;
      default:
        return false;
    }
  }
  // RFC 6120 §4.9.3.20: the server is being shut down.
  return error instanceof StreamError && error.condition === "system-shutdown";
}

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
 * The host named in a `see-other-host` stream error. toXmppError keeps
 * xmpp.js's error, with the <stream:error/> element, as the cause.
 */
export function seeOtherHostOf(error: XmppError): string | undefined {
  if (!(error instanceof StreamError) || error.condition !== "see-other-host") {
    return undefined;
  }
  const cause: unknown = error.cause;
  if (typeof cause !== "object" || cause === null || !("element" in cause)) {
    return undefined;
  }
  const element: unknown = cause.element;
  if (
    typeof element !== "object" || element === null ||
    !("getChildText" in element) || typeof element.getChildText !== "function"
  ) {
    return undefined;
  }
  const text: unknown = element.getChildText("see-other-host");
  return typeof text === "string" ? text : undefined;
}

export type FailureDecision =
  /** Try the next candidate. */
  | { readonly next: "unavailable" }
  /** Sign in at `service` instead (XEP-0124 §17.2, RFC 6120 §4.9.3.19). */
  | { readonly next: "redirect"; readonly service: string }
  /** Stop, and report `error`. */
  | { readonly next: "fail"; readonly error: XmppError };

export function decideAfterFailure(
  error: XmppError,
  at: { readonly service: string; readonly redirects: number },
): FailureDecision {
  const isUri = error instanceof TransportError &&
    error.condition === "see-other-uri";
  const host = seeOtherHostOf(error);
  if (!isUri && host === undefined) {
    return isNodeUnavailable(error)
      ? { next: "unavailable" }
      : { next: "fail", error };
  }
  const target = isUri
    ? checkRedirectTarget(at.service, error.uri ?? "")
    : seeOtherHostService(at.service, host ?? "");
  if (at.redirects >= MAX_REDIRECTS) {
    return refused(
      error,
      `The chat servers redirected the sign-in more than ${MAX_REDIRECTS} times. Ask your administrator to check the chat server settings.`,
    );
  }
  if (!target.ok) {
    return refused(
      error,
      `The chat server at ${at.service} redirected the sign-in to an address that was refused: ${target.reason}. Ask your administrator to check the chat server configuration.`,
    );
  }
  return { next: "redirect", service: target.service };
}

/** The redirect's own error class and condition, with why it was not followed. */
function refused(error: XmppError, message: string): FailureDecision {
  const replacement = error instanceof TransportError
    ? new TransportError(error.condition, message, {
      cause: error,
      uri: error.uri,
    })
    : new StreamError(error.condition, message, { cause: error });
  return { next: "fail", error: replacement };
}
