// The decisions of chat-server discovery, as pure functions: which nodes to
// try in which order, whether a failure lets the sign-in move on to another
// node (and why the node failed: timed out, refused, or down), and whether a
// redirect is followed (redirect_policy.ts). server_discovery.ts runs them
// against real connections.
//
// Seed, "Desktop Chat Server Settings": the secondary "will be connected for
// discovery only if the primary node is unreachable". So only a node that
// could not be reached moves the sign-in on; a node that answered (a wrong
// password, an unknown domain, a protocol error) has the last word.
import type { ChatServerSettings } from "../../settings/settings_rules.ts";
import { StreamError, TransportError, type XmppError } from "../core/errors.ts";
import {
  checkRedirectTarget,
  SeeOtherHostError,
  seeOtherHostService,
} from "./redirect_policy.ts";

export type NodeSource = "cache" | "primary" | "secondary";

export interface Candidate {
  readonly service: string;
  readonly source: NodeSource;
}

export type ServerList = Pick<ChatServerSettings, "primary" | "secondary">;

/** Redirects followed in one sign-in, so two nodes cannot bounce it forever. */
export const MAX_REDIRECTS = 3;

/**
 * The rounds of a sign-in, each an ordered list of nodes (roadmap item 3:
 * the server list is an ordered input). With a cached node, it alone is
 * the first round; if it fails as unavailable, the whole discovery runs
 * again over every configured node, the cached one included: a node that
 * froze a moment ago may answer now, and it may be the only one up.
 */
export function discoveryRounds(
  servers: ServerList,
  cached: string | undefined,
): Candidate[][] {
  const discovery: Candidate[] = [];
  for (
    const candidate of [
      { service: servers.primary, source: "primary" },
      { service: servers.secondary, source: "secondary" },
    ] as const
  ) {
    if (
      candidate.service === "" ||
      discovery.some((c) => c.service === candidate.service)
    ) continue;
    discovery.push(candidate);
  }
  const rounds = discovery.length === 0 ? [] : [discovery];
  return cached === undefined || cached === ""
    ? rounds
    : [[{ service: cached, source: "cache" }], ...rounds];
}

/**
 * Why a node could not serve the sign-in, as the agent is told:
 * - timed-out: it accepted the connection or the request but did not answer
 *   in time (overloaded, frozen, or a network that drops packets);
 * - refused: no connection (refused, unknown host, reset, or a WebSocket
 *   that failed, which a browser does not explain: WHATWG HTML "fail the
 *   WebSocket connection");
 * - down: it answered that it cannot serve now (shutting down, its XMPP
 *   service unreachable, a proxy's 5xx).
 */
export type Outage = "timed-out" | "refused" | "down";

/** The outage `error` reports, or undefined for a node that answered. */
export function outageOf(error: XmppError): Outage | undefined {
  if (error.kind === "timeout") return "timed-out";
  if (error instanceof TransportError) {
    switch (error.condition) {
      // Connection refused, DNS failure, reset: fetch rejected after retries.
      case "unreachable":
      case "connection-lost":
        return "refused";
      // XEP-0124 §17.2: the node is going down, or its connection manager
      // cannot reach the XMPP service behind it.
      case "system-shutdown":
      case "remote-connection-failed":
        return "down";
      case "http-error":
        // Status 0 is a request the browser could not make; 5xx (a proxy
        // in front of a dead node answers 502/503/504) a node that is down;
        // any other status came from a server that is up.
        if (error.status === undefined || error.status === 0) return "refused";
        return error.status >= 500 ? "down" : undefined;
      default:
        return undefined;
    }
  }
  // RFC 6120 §4.9.3.20: the server is being shut down.
  return error instanceof StreamError && error.condition === "system-shutdown"
    ? "down"
    : undefined;
}

export interface NodeOutage {
  readonly service: string;
  readonly outage: Outage;
}

/**
 * No configured node could serve the sign-in: each node tried and why,
 * last attempt first in `cause`. The view words it from `nodes`
 * (sign_in_messages.ts); the message is the same in plain text.
 */
export class NodesUnreachableError extends TransportError {
  readonly nodes: readonly NodeOutage[];

  constructor(nodes: readonly NodeOutage[], options: { cause?: unknown }) {
    super("unreachable", unreachableMessage(nodes), options);
    this.name = "NodesUnreachableError";
    this.nodes = nodes;
  }
}

const OUTAGE_TEXT: Readonly<Record<Outage, string>> = {
  "timed-out": "did not answer in time",
  refused: "refused the connection or could not be reached",
  down: "is not serving sign-ins right now",
};

function unreachableMessage(nodes: readonly NodeOutage[]): string {
  const what = nodes.map(({ service, outage }) =>
    `${service} ${OUTAGE_TEXT[outage]}`
  ).join("; ");
  const advice = nodes.every((node) => node.outage === "timed-out")
    ? "Try again in a moment; if it keeps happening, ask your administrator whether the chat servers are overloaded."
    : "Check the network, or ask your administrator whether the chat servers are running.";
  return nodes.length === 1
    ? `The chat server ${what}. ${advice}`
    : `None of the chat servers could be reached: ${what}. ${advice}`;
}

export type FailureDecision =
  /** Try the next candidate; `outage` says why this one failed. */
  | { readonly next: "unavailable"; readonly outage: Outage }
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
  const host = error instanceof SeeOtherHostError ? error.host : undefined;
  if (!isUri && host === undefined) {
    const outage = outageOf(error);
    return outage === undefined
      ? { next: "fail", error }
      : { next: "unavailable", outage };
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
