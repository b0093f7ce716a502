// What the sign-in form says for each failure kind (the headless core only
// types the failure; the words are the view's, style.md item 3).
import type { SignInFailure } from "../../shared/xmpp/session/session_store.ts";
import {
  type NodeOutage,
  NodesUnreachableError,
  type Outage,
} from "../../shared/xmpp/discovery/discovery_policy.ts";

export interface FailureText {
  readonly title: string;
  readonly detail: string;
  /** Offer Retry with the same credentials (the cause was not the agent's). */
  readonly retry: boolean;
}

export function failureText(failure: SignInFailure): FailureText {
  switch (failure.kind) {
    case "credentials":
      return {
        title: "Wrong username or password.",
        detail: "Check both and sign in again.",
        retry: false,
      };
    case "certificate":
      return {
        title: "The chat server could not be reached.",
        detail:
          "If it uses a certificate your browser does not trust yet, open the chat server, accept its certificate in the new tab, then come back and select Retry.",
        retry: true,
      };
    case "unreachable":
      return unreachableText(failure.error);
    case "settings":
      return {
        title: "The chat settings could not be loaded.",
        detail: failure.error.message,
        retry: true,
      };
    case "input":
      return { title: failure.error.message, detail: "", retry: false };
    case "lost":
      return {
        title:
          "You were signed out: the connection to the chat server was lost.",
        // The password is never kept, so there is nothing to retry with.
        detail:
          `${failure.error.message} Enter your password to sign in again.`,
        retry: false,
      };
    case "server":
      return {
        title: "The chat server refused the sign-in.",
        detail: failure.error.message,
        retry: true,
      };
  }
}

/**
 * A chat server the page's Content-Security-Policy does not let it reach
 * (policy_blocks.ts): a settings change after the page loaded, or a host
 * page whose policy leaves the chat servers out.
 */
export function policyBlockedText(service: string): FailureText {
  return {
    title: "Your browser blocked the connection to the chat server.",
    detail: `This page is not allowed to connect to ${
      hostOf(service)
    }. If the chat servers were changed after the page was loaded, reload the page; otherwise tell your administrator.`,
    retry: true,
  };
}

/** Per outage: the title for one node and for several, what happened, what to do. */
const OUTAGE_TEXT: Readonly<
  Record<Outage, {
    one: string;
    many: string;
    what: string;
    advice: string;
  }>
> = {
  "timed-out": {
    one: "The chat server did not answer in time.",
    many: "None of the chat servers answered in time.",
    what: "did not answer in time",
    advice:
      "It may be busy or restarting: select Retry in a moment. If it keeps happening, tell your administrator.",
  },
  refused: {
    one: "The chat server cannot be reached.",
    many: "None of the chat servers can be reached.",
    what: "refused the connection or could not be found",
    advice:
      "Check your network connection (and VPN), or ask your administrator whether the chat servers are running.",
  },
  down: {
    one: "The chat server is not taking sign-ins right now.",
    many: "None of the chat servers is taking sign-ins right now.",
    what: "is restarting or shutting down",
    advice: "Select Retry in a moment.",
  },
};

/**
 * The page that shows a node's certificate: the service itself for https,
 * and for wss the same host and port over https (RFC 7395 §3: the WebSocket
 * is an upgraded HTTP connection, so the same certificate serves both).
 */
export function certificatePage(service: string): string {
  return service.startsWith("wss:") ? `https:${service.slice(4)}` : service;
}

function hostOf(service: string): string {
  return URL.canParse(service) ? new URL(service).host : service;
}

/** What the agent reads when no node could serve: timed out, refused or down. */
export function unreachableText(error: Error): FailureText {
  const nodes: readonly NodeOutage[] = error instanceof NodesUnreachableError
    ? error.nodes
    : [];
  if (nodes.length === 0) {
    const outage: Outage = error.name === "TimeoutError"
      ? "timed-out"
      : "refused";
    return {
      title: OUTAGE_TEXT[outage].one,
      detail: OUTAGE_TEXT[outage].advice,
      retry: true,
    };
  }
  const outages = new Set(nodes.map((node) => node.outage));
  const [first] = outages;
  const each = nodes.map(({ service, outage }) =>
    `${hostOf(service)} ${OUTAGE_TEXT[outage].what}`
  ).join("; ");
  if (outages.size === 1) {
    const text = OUTAGE_TEXT[first];
    return {
      title: nodes.length === 1 ? text.one : text.many,
      detail: `${each}. ${text.advice}`,
      retry: true,
    };
  }
  return {
    title: "None of the chat servers can be reached.",
    detail: `${each}. ${
      outages.has("refused")
        ? OUTAGE_TEXT.refused.advice
        : OUTAGE_TEXT["timed-out"].advice
    }`,
    retry: true,
  };
}
