// Sign-in with IM&P node discovery (seed, "Cisco IM&P Deployment
// Considerations" and "Desktop Chat Server Settings"): the first sign-in of a
// user tries the primary chat server, the secondary only if the primary is
// unreachable, follows the redirect of a node that does not serve the user,
// and remembers the node that worked; later sign-ins go straight there and
// discover again only when that node is unreachable or the settings changed.
// The decisions are in discovery_policy.ts, the memory in node_cache.ts.
import type { ChatServerSettings } from "../../settings/settings_schema.ts";
import {
  type Candidate,
  decideAfterFailure,
  nextCandidates,
  type NodeSource,
} from "./discovery_policy.ts";
import {
  client,
  type ClientOptions,
  toXmppError,
  type XmppClient,
} from "../session/client.ts";
import {
  TimeoutError,
  TransportError,
  type XmppError,
} from "../core/errors.ts";
import {
  bareJid,
  type CacheLookup,
  forgetCachedNode,
  type NodeStorage,
  readCachedNode,
  writeCachedNode,
} from "./node_cache.ts";

/** What discovery needs of a client; xmpp.js's Client has it. */
export interface DiscoveryClient {
  readonly status: string;
  /** Resolves once online; rejects with whatever "error" the client emits. */
  start(): Promise<unknown>;
  stop(): Promise<unknown>;
  on(event: "error", listener: (error: unknown) => void): unknown;
  removeListener(event: "error", listener: (error: unknown) => void): unknown;
}

export type Connect<C extends DiscoveryClient> = (service: string) => C;

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
  /** Told of every finished attempt, e.g. to show "trying the secondary"; must not throw. */
  readonly onAttempt?: (attempt: Attempt) => void;
}

export interface Attempt {
  readonly service: string;
  readonly source: NodeSource | "redirect";
  /** Undefined for the attempt that signed in. */
  readonly error?: XmppError;
  /** Closing the abandoned connection failed too; `error` still decides. */
  readonly teardownError?: XmppError;
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

/**
 * client() for each node, with a `see-other-host` stream error reported
 * instead of followed: xmpp.js would follow it itself (@xmpp/connection
 * `_onSeeOtherHost`) without a bound or a check of the host, and for an
 * http(s) service it drops the BOSH path. Discovery follows it, checked.
 */
export function connectWithClient(
  options: Omit<ClientOptions, "service">,
): Connect<XmppClient> {
  return function connectNode(service: string): XmppClient {
    const entity = client({ ...options, service });
    entity._onSeeOtherHost = (error: unknown) => entity.emit("error", error);
    return entity;
  };
}

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
  const failed: string[] = [];
  const record = (attempt: Attempt) => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };

  for (;;) {
    const [candidate] = nextCandidates(settings, cached, failed);
    if (candidate === undefined) throw exhausted(attempts);
    const chain = await signInChain(candidate, connect, timeoutMs, {
      redirects,
      record,
    });
    if (chain.outcome === "failed") throw chain.error;
    if (chain.outcome === "unavailable") {
      failed.push(candidate.service, chain.service);
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

type ChainResult<C> =
  | { readonly outcome: "online"; readonly client: C; readonly service: string }
  /** `service` (the candidate or a redirect target) could not be reached. */
  | { readonly outcome: "unavailable"; readonly service: string }
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
    state.record({ service, source, ...result });
    const decision = decideAfterFailure(result.error, {
      service,
      redirects: state.redirects.length,
    });
    // An unreachable redirect target fails the whole chain: the next
    // configured node may know the user's node-pair peer (seed, "Cisco IM&P
    // High Availability Considerations").
    if (decision.next === "unavailable") {
      return { outcome: "unavailable", service };
    }
    if (decision.next === "fail") {
      return { outcome: "failed", error: decision.error };
    }
    state.redirects.push(decision.service);
    service = decision.service;
    source = "redirect";
  }
}

type NodeResult<C> =
  | { readonly client: C }
  | { readonly error: XmppError; readonly teardownError?: XmppError };

async function attemptNode<C extends DiscoveryClient>(
  connect: Connect<C>,
  service: string,
  timeoutMs: number,
): Promise<NodeResult<C>> {
  let client: C;
  try {
    client = connect(service);
  } catch (error) {
    return { error: toXmppError(error) };
  }
  // start() rejects with each "error" the client emits while signing in; the
  // listener only keeps EventEmitter from throwing those errors instead.
  const onError = () => {};
  client.on("error", onError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const error = await Promise.race([
    client.start().then(() => undefined, (err: unknown) => toXmppError(err)),
    new Promise<XmppError>((resolve) => {
      timer = setTimeout(
        () =>
          resolve(
            new TimeoutError(
              `The chat server at ${service} did not complete the sign-in within ${timeoutMs} ms.`,
            ),
          ),
        timeoutMs,
      );
    }),
  ]);
  clearTimeout(timer);
  if (error === undefined) {
    client.removeListener("error", onError);
    return { client };
  }
  const teardownError = await closeClient(client);
  client.removeListener("error", onError);
  return teardownError ? { error, teardownError } : { error };
}

/** Stops `client` unless it is already down; what stopping threw, if anything. */
export async function closeClient(
  client: DiscoveryClient,
): Promise<XmppError | undefined> {
  if (client.status === "offline" || client.status === "disconnect") {
    return undefined;
  }
  try {
    await client.stop();
  } catch (error) {
    return toXmppError(error);
  }
  return undefined;
}

function exhausted(attempts: readonly Attempt[]): XmppError {
  const last = attempts.at(-1)?.error;
  if (last === undefined) {
    return new TransportError(
      "undefined-condition",
      "No chat server is configured. Ask your administrator to set the Primary Chat Server.",
    );
  }
  const tried = [...new Set(attempts.map((attempt) => attempt.service))];
  if (tried.length === 1) return last;
  return new TransportError(
    "unreachable",
    `None of the chat servers could be reached (${
      tried.join(", ")
    }). Check the network, or ask your administrator whether the chat servers are running.`,
    { cause: last },
  );
}

function hostOf(service: string): string {
  return URL.canParse(service) ? new URL(service).hostname : "";
}
