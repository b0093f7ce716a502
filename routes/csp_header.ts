// Puts the Content-Security-Policy (csp_policy.ts) and Reporting-Endpoints
// on every response. connect-src follows the stored chat-server settings,
// so the policy is computed from the store and reused for a moment: a
// write through this service renews it at once, one through another
// instance sharing the store within `maxAgeMs`.
import type { MiddlewareHandler } from "hono";
import type { ChatServerSettings } from "../shared/settings/settings_rules.ts";
import {
  contentSecurityPolicy,
  type PolicyInput,
  reportingEndpoints,
  settingsServers,
} from "./csp_policy.ts";
import type { SettingsStore } from "./settings_store.ts";

export interface CspHeaderOptions
  extends Omit<PolicyInput, "chatServers" | "frameAncestors"> {
  readonly store: Pick<SettingsStore, "get">;
  /** The settings served while nothing is stored. */
  readonly defaults: ChatServerSettings;
  readonly frameAncestors?: readonly string[];
  /** How long a computed policy is reused; 1 s by default. */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
  /** Where a failed settings read is reported; `console.error` by default. */
  readonly logError?: (message: string, error: unknown) => void;
}

export interface CspHeader {
  readonly middleware: MiddlewareHandler;
  /** Forgets the computed policy; the next response reads the store. */
  invalidate(): void;
}

const DEFAULT_MAX_AGE_MS = 1_000;

export function cspHeader(options: CspHeaderOptions): CspHeader {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const logError = options.logError ??
    ((message, error) => console.error(message, error));
  const policyFor = (settings: ChatServerSettings) =>
    contentSecurityPolicy({
      chatServers: settingsServers(settings),
      extraConnectSrc: options.extraConnectSrc,
      frameAncestors: options.frameAncestors ?? [],
      reportPath: options.reportPath,
      reportGroup: options.reportGroup,
    });
  const endpoints = reportingEndpoints(options);
  let cached: { policy: string; at: number } | undefined;
  let pending: Promise<string> | undefined;
  // Bumped by invalidate(): a read that began before a write must not
  // store what it read as current.
  let generation = 0;

  async function compute(): Promise<string> {
    const started = generation;
    let policy: string;
    try {
      const stored = await options.store.get();
      policy = policyFor(stored?.settings ?? options.defaults);
    } catch (error) {
      // The page still gets a strict policy: with the defaults' servers
      // the element may fail to connect, it may not do anything else.
      logError("CSP: the chat-server settings could not be read:", error);
      return policyFor(options.defaults);
    }
    if (started === generation) cached = { policy, at: now() };
    return policy;
  }

  function current(): Promise<string> | string {
    if (cached !== undefined && now() - cached.at < maxAgeMs) {
      return cached.policy;
    }
    if (pending) return pending;
    // One store read however many responses wait for it.
    const read = compute().finally(() => {
      if (pending === read) pending = undefined;
    });
    pending = read;
    return read;
  }

  return {
    async middleware(c, next) {
      await next();
      c.res.headers.set("Content-Security-Policy", await current());
      c.res.headers.set("Reporting-Endpoints", endpoints);
    },
    invalidate() {
      generation += 1;
      cached = undefined;
      pending = undefined;
    },
  };
}

/** `store`, calling `onWrite` after each successful put. */
export function notifyingWrites(
  store: SettingsStore,
  onWrite: () => void,
): SettingsStore {
  return {
    get: () => store.get(),
    async put(settings, expectedVersion) {
      const result = await store.put(settings, expectedVersion);
      if (result.ok) onWrite();
      return result;
    },
    close: () => store.close(),
  };
}
