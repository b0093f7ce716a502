// Puts the Content-Security-Policy (csp_policy.ts) on every response, and
// report-to with Reporting-Endpoints on those of an https page. connect-src
// follows the stored chat-server settings, so the policy is computed from
// the store and reused for a moment: a write through this service renews
// it at once, one through another instance sharing the store within
// `maxAgeMs`.
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
  extends Omit<PolicyInput, "chatServers" | "frameAncestors" | "reportGroup"> {
  readonly store: Pick<SettingsStore, "get">;
  /** The report-to endpoint's name, used on https pages. */
  readonly reportGroup: string;
  /**
   * DESKTOP_CHAT_PUBLIC_ORIGIN: when https, every page is (TLS ends at a
   * proxy in front of the service), whatever the request's own scheme.
   */
  readonly publicOrigin?: string;
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

/** The policy of an https page (with report-to) and of a plain-http one. */
interface Policies {
  readonly secure: string;
  readonly plain: string;
}

export function cspHeader(options: CspHeaderOptions): CspHeader {
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const logError = options.logError ??
    ((message, error) => console.error(message, error));
  const policiesFor = (settings: ChatServerSettings): Policies => {
    const input: PolicyInput = {
      chatServers: settingsServers(settings),
      extraConnectSrc: options.extraConnectSrc,
      frameAncestors: options.frameAncestors ?? [],
      reportPath: options.reportPath,
    };
    return {
      plain: contentSecurityPolicy(input),
      secure: contentSecurityPolicy({
        ...input,
        reportGroup: options.reportGroup,
      }),
    };
  };
  const endpoints = reportingEndpoints(options);
  const publicHttps = options.publicOrigin?.startsWith("https:") ?? false;
  let cached: { policies: Policies; at: number } | undefined;
  let pending: Promise<Policies> | undefined;
  // Bumped by invalidate(): a read that began before a write must not
  // store what it read as current.
  let generation = 0;

  async function compute(): Promise<Policies> {
    const started = generation;
    let policies: Policies;
    try {
      const stored = await options.store.get();
      policies = policiesFor(stored?.settings ?? options.defaults);
    } catch (error) {
      // The page still gets a strict policy: with the defaults' servers
      // the element may fail to connect, it may not do anything else.
      logError("CSP: the chat-server settings could not be read:", error);
      return policiesFor(options.defaults);
    }
    if (started === generation) cached = { policies, at: now() };
    return policies;
  }

  function current(): Promise<Policies> | Policies {
    if (cached !== undefined && now() - cached.at < maxAgeMs) {
      return cached.policies;
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
      const policies = await current();
      if (publicHttps || c.req.url.startsWith("https:")) {
        c.res.headers.set("Content-Security-Policy", policies.secure);
        c.res.headers.set("Reporting-Endpoints", endpoints);
      } else {
        c.res.headers.set("Content-Security-Policy", policies.plain);
      }
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
