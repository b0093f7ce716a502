// Sign-in with IM&P node discovery (seed, "Cisco IM&P Deployment
// Considerations" and "Desktop Chat Server Settings"): the first sign-in of a
// user tries the primary chat server, the secondary only if the primary is
// unreachable, follows the redirect of a node that does not serve the user,
// and remembers the node that worked; later sign-ins go straight there and
// discover again only when that node is unreachable or the settings changed.
// When the cached node fails, discovery runs again over every configured
// node, the cached one included. Every abandoned attempt is stopped at once.
// The decisions are in discovery_policy.ts and redirect_policy.ts, the
// memory in node_cache.ts.
import type { ChatServerSettings } from "../../settings/settings_rules.ts";
import {
  type Candidate,
  decideAfterFailure,
  discoveryRounds,
  type NodeOutage,
  type NodeSource,
  NodesUnreachableError,
  type Outage,
} from "./discovery_policy.ts";
import {
  attemptNode,
  type Connect,
  connectWithClient,
  type DiscoveryClient,
} from "./node_attempt.ts";
import type { XmppClient } from "../session/client.ts";
import type { BoshOptions } from "../transport/bosh_transport.ts";
import { TransportError, type XmppError } from "../core/errors.ts";
import {
  bareJid,
  type CacheLookup,
  forgetCachedNode,
  type NodeStorage,
  readCachedNode,
  writeCachedNode,
} from "./node_cache.ts";

export {
  closeClient,
  type Connect,
  connectWithClient,
  type DiscoveryClient,
} from "./node_attempt.ts";

export interface DiscoveryOptions {
  readonly settings: Pick<ChatServerSettings, "primary" | "secondary">;
  /** The settings ETag; `null` signs in without reading or writing the cache. */
  readonly settingsVersion: string | null;
  readonly username: string;
  /** For the default `connect`; a custom one brings its own credentials. */
  readonly password: string;
  /** The XMPP domain; defaults to the primary server's host name. */
  readonly domain?: string;
  readonly storage: NodeStorage;
  /** Bound on one node's sign-in, from connecting to online. */
  readonly attemptTimeoutMs?: number;
  /** BOSH session settings for the default `connect`'s clients. */
  readonly bosh?: BoshOptions;
  /** Told of every finished attempt, e.g. to show "trying the secondary"; must not throw. */
  readonly onAttempt?: (attempt: Attempt) => void;
}

export interface Attempt {
  readonly service: string;
  readonly source: NodeSource | "redirect";
  /** Undefined for the attempt that signed in. */
  readonly error?: XmppError;
  /** Set when the node could not serve the sign-in: why (discovery_policy). */
  readonly outage?: Outage;
}

export interface CacheReport {
  readonly lookup: CacheLookup["status"] | "disabled";
  /** What storage threw on read, write or removal; sign-in went on without it. */
  readonly storageErrors: readonly Error[];
}

export interface SignedIn<C> {
  /**
   * Online. Its "error" listener from discovery is removed: attach one at
   * once, as for any xmpp.js client.
   */
  readonly client: C;
  /** The node it is signed in on, after any redirects. */
  readonly service: string;
  /** Where the successful chain of attempts started. */
  readonly source: NodeSource;
  readonly redirects: readonly string[];
  readonly attempts: readonly Attempt[];
  readonly cache: CacheReport;
}

// A node that accepts the connection but never finishes the sign-in must not
// hold the agent forever; the stream open alone has client()'s 10 s.
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 20_000;

export function signInWithDiscovery<C extends DiscoveryClient>(
  options: DiscoveryOptions & { readonly connect: Connect<C> },
): Promise<SignedIn<C>>;
export function signInWithDiscovery(
  options: DiscoveryOptions & { readonly connect?: undefined },
): Promise<SignedIn<XmppClient>>;
export async function signInWithDiscovery(
  options: DiscoveryOptions & { readonly connect?: Connect<DiscoveryClient> },
): Promise<SignedIn<DiscoveryClient>> {
  const { settings, settingsVersion, storage } = options;
  // IM&P nodes of a cluster serve one domain; fixing it here keeps the JID
  // (and the cache key) the same whichever node answers.
  const domain = options.domain ?? hostOf(settings.primary);
  const jid = bareJid(options.username, domain);
  const connect = options.connect ??
    connectWithClient({
      username: options.username,
      password: options.password,
      domain,
      bosh: options.bosh,
    });
  const timeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;

  const storageErrors: Error[] = [];
  const noteStorage = (error: Error | undefined) => {
    if (error) storageErrors.push(error);
  };
  const lookup: CacheLookup | undefined = settingsVersion === null
    ? undefined
    : readCachedNode(storage, jid, settingsVersion);
  if (lookup?.status === "unavailable") storageErrors.push(lookup.error);
  if (lookup?.status === "stale" || lookup?.status === "invalid") {
    noteStorage(forgetCachedNode(storage, jid));
  }
  const cached = lookup?.status === "hit" ? lookup.node.service : undefined;

  const attempts: Attempt[] = [];
  const redirects: string[] = [];
  const record = (attempt: Attempt) => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };

  const outages: NodeOutage[] = [];
  for (const round of discoveryRounds(settings, cached)) {
    // Nodes (candidates or redirect targets) that failed in this round.
    const failed = new Set<string>();
    for (const candidate of round) {
      if (failed.has(candidate.service)) continue;
      const chain = await signInChain(candidate, connect, timeoutMs, {
        redirects,
        record,
      });
      if (chain.outcome === "failed") throw chain.error;
      if (chain.outcome === "unavailable") {
        failed.add(candidate.service).add(chain.service);
        outages.push({ service: chain.service, outage: chain.outage });
        continue;
      }
      if (
        settingsVersion !== null &&
        !(lookup?.status === "hit" && lookup.node.service === chain.service)
      ) {
        noteStorage(
          writeCachedNode(storage, jid, {
            service: chain.service,
            settingsVersion,
          }),
        );
      }
      return {
        client: chain.client,
        service: chain.service,
        source: candidate.source,
        redirects,
        attempts,
        cache: { lookup: lookup?.status ?? "disabled", storageErrors },
      };
    }
  }
  throw exhausted(outages, attempts);
}

type ChainResult<C> =
  | { readonly outcome: "online"; readonly client: C; readonly service: string }
  /** `service` (the candidate or a redirect target) could not be reached. */
  | {
    readonly outcome: "unavailable";
    readonly service: string;
    readonly outage: Outage;
  }
  | { readonly outcome: "failed"; readonly error: XmppError };

/** One candidate and the redirects it leads to. */
async function signInChain<C extends DiscoveryClient>(
  candidate: Candidate,
  connect: Connect<C>,
  timeoutMs: number,
  state: { redirects: string[]; record: (attempt: Attempt) => void },
): Promise<ChainResult<C>> {
  let service = candidate.service;
  let source: Attempt["source"] = candidate.source;
  for (;;) {
    const result = await attemptNode(connect, service, timeoutMs);
    if ("client" in result) {
      state.record({ service, source });
      return { outcome: "online", client: result.client, service };
    }
    const decision = decideAfterFailure(result.error, {
      service,
      redirects: state.redirects.length,
    });
    state.record({
      service,
      source,
      error: result.error,
      ...(decision.next === "unavailable" ? { outage: decision.outage } : {}),
    });
    // An unreachable redirect target fails the whole chain: the next
    // configured node may know the user's node-pair peer (seed, "Cisco IM&P
    // High Availability Considerations").
    if (decision.next === "unavailable") {
      return { outcome: "unavailable", service, outage: decision.outage };
    }
    if (decision.next === "fail") {
      return { outcome: "failed", error: decision.error };
    }
    state.redirects.push(decision.service);
    service = decision.service;
    source = "redirect";
  }
}

function exhausted(
  outages: readonly NodeOutage[],
  attempts: readonly Attempt[],
): XmppError {
  const last = attempts.at(-1)?.error;
  if (last === undefined) {
    return new TransportError(
      "undefined-condition",
      "No chat server is configured. Ask your administrator to set the Primary Chat Server.",
    );
  }
  // A node tried in both rounds is reported once, with its latest outage.
  const latest = new Map(outages.map((node) => [node.service, node]));
  return new NodesUnreachableError([...latest.values()], { cause: last });
}

/** The host name of a chat server's URL, the domain it serves by default. */
export function hostOf(service: string): string {
  return URL.canParse(service) ? new URL(service).hostname : "";
}
