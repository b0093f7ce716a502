// Chat servers the page's Content-Security-Policy refused to connect to. A
// fetch or WebSocket refused by connect-src fails exactly like a dead
// server (Fetch §4.1: a network error), so without this the agent would be
// told the chat server is down when it is the page that may not reach it:
// the service's policy lists the chat servers of the moment the page was
// loaded, and inside Finesse the host page's own policy applies. The browser
// tells the document of each refusal (CSP3 §5.3, securitypolicyviolation).
import { type ReadonlySignal, signal } from "@preact/signals";
import { NodesUnreachableError } from "../../shared/xmpp/discovery/discovery_policy.ts";
import type { SignInFailure } from "../../shared/xmpp/session/session_store.ts";

const blocked = signal<ReadonlySet<string>>(new Set());
let watching = false;

/** Origins refused by connect-src since the element was first shown on this page. */
export function policyBlocks(): ReadonlySignal<ReadonlySet<string>> {
  if (!watching && typeof document !== "undefined") {
    watching = true;
    document.addEventListener("securitypolicyviolation", (event) => {
      if (event.effectiveDirective !== "connect-src") return;
      const origin = originOf(event.blockedURI);
      if (origin === undefined || blocked.value.has(origin)) return;
      blocked.value = new Set([...blocked.value, origin]);
    });
  }
  return blocked;
}

/** The chat server of `failure` that the page's policy refused, if any. */
export function blockedService(
  failure: SignInFailure,
  refused: ReadonlySet<string>,
): string | undefined {
  const services: string[] = failure.error instanceof NodesUnreachableError
    ? failure.error.nodes.map((node) => node.service)
    : [];
  if (failure.service !== undefined) services.push(failure.service);
  return services.find((service) => {
    const origin = originOf(service);
    return origin !== undefined && refused.has(origin);
  });
}

// CSP3 §5.3 reports a cross-origin blocked URL reduced to its origin; the
// comparison is by origin either way (ws: and http: of one host differ).
function originOf(url: string): string | undefined {
  const parsed = URL.parse(url);
  if (parsed === null) return undefined;
  return `${parsed.protocol}//${parsed.host}`;
}
