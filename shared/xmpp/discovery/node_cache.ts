// Remembers, per user, the IM&P node that signed them in. Seed, "Desktop
// Chat Server Settings": discovery runs on the first sign-in, the result is
// cached and later sign-ins go to that node "until the browser cache is
// cleared". The entry is tied to the settings version (the settings ETag),
// so an administrator's save sends every user through discovery again.
//
// Storage is read as untrusted input: an older build, a hand edit or another
// script of the origin may have written anything under the key, so what is
// read back is bounded, parsed and validated like wire data, and a storage
// that throws (disabled, full, sandboxed frame) is reported, never fatal.
import { checkServerUrl } from "../../settings/settings_rules.ts";

export type NodeStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">;

export interface CachedNode {
  /** The BOSH or WebSocket URL that signed the user in. */
  readonly service: string;
  /** The settings ETag this was discovered under. */
  readonly settingsVersion: string;
}

export type CacheLookup =
  | { readonly status: "hit"; readonly node: CachedNode }
  | { readonly status: "miss" }
  /** Discovered under other settings: to be forgotten, then rediscovered. */
  | { readonly status: "stale"; readonly node: CachedNode }
  | { readonly status: "invalid"; readonly reason: string }
  | { readonly status: "unavailable"; readonly error: Error };

export const NODE_CACHE_KEY_PREFIX = "desktop-chat.node:";
/** Bumped when the entry's shape changes, so an old entry reads as invalid. */
export const NODE_CACHE_FORMAT = 1;
const MAX_ENTRY_CHARS = 4096;
const MAX_VERSION_CHARS = 256;

/**
 * The bare JID the cache is keyed by. RFC 7622 §3.3.1 and §3.2: the
 * localpart (UsernameCaseMapped) and the domainpart compare case-insensitively,
 * so "Agent1" and "agent1" share one entry.
 */
export function bareJid(username: string, domain: string): string {
  return `${username.trim().toLowerCase()}@${domain.trim().toLowerCase()}`;
}

export function nodeCacheKey(jid: string): string {
  return NODE_CACHE_KEY_PREFIX + jid;
}

export function encodeCachedNode(node: CachedNode): string {
  return JSON.stringify({
    format: NODE_CACHE_FORMAT,
    service: node.service,
    settingsVersion: node.settingsVersion,
  });
}

/** Parses a stored entry; `null` (nothing stored) is a miss. */
export function lookupCachedNode(
  raw: string | null,
  settingsVersion: string,
): CacheLookup {
  if (raw === null) return { status: "miss" };
  const node = decodeCachedNode(raw);
  if (typeof node === "string") return { status: "invalid", reason: node };
  if (node.settingsVersion !== settingsVersion) {
    return { status: "stale", node };
  }
  return { status: "hit", node };
}

/** The entry, or why it cannot be used. */
export function decodeCachedNode(raw: string): CachedNode | string {
  if (raw.length > MAX_ENTRY_CHARS) return "entry too long";
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return "entry is not JSON";
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return "entry is not an object";
  }
  const { format, service, settingsVersion } = value as Record<
    string,
    unknown
  >;
  if (format !== NODE_CACHE_FORMAT) return "unknown entry format";
  if (typeof service !== "string") return "service is not text";
  // The same rules as an administrator's URL (http, https, ws, wss only; no
  // credentials, query or fragment), and in the same normal form, so an
  // entry can only name a node the settings could have named.
  const check = checkServerUrl(service);
  if (!check.ok || check.href !== service) return "service is not a valid URL";
  if (
    typeof settingsVersion !== "string" || settingsVersion === "" ||
    settingsVersion.length > MAX_VERSION_CHARS
  ) {
    return "settings version is not valid";
  }
  return { service, settingsVersion };
}

export function readCachedNode(
  storage: NodeStorage,
  jid: string,
  settingsVersion: string,
): CacheLookup {
  let raw: string | null;
  try {
    raw = storage.getItem(nodeCacheKey(jid));
  } catch (error) {
    return { status: "unavailable", error: asError(error) };
  }
  return lookupCachedNode(raw, settingsVersion);
}

/** Returns what the storage threw, if it did: remembering is best effort. */
export function writeCachedNode(
  storage: NodeStorage,
  jid: string,
  node: CachedNode,
): Error | undefined {
  try {
    storage.setItem(nodeCacheKey(jid), encodeCachedNode(node));
  } catch (error) {
    return asError(error);
  }
  return undefined;
}

export function forgetCachedNode(
  storage: NodeStorage,
  jid: string,
): Error | undefined {
  try {
    storage.removeItem(nodeCacheKey(jid));
  } catch (error) {
    return asError(error);
  }
  return undefined;
}

function asError(thrown: unknown): Error {
  // Not String(thrown): it throws on an object without a usable toString,
  // and the report of a failing storage must not become the failure.
  return thrown instanceof Error
    ? thrown
    : new Error("The browser storage failed.", { cause: thrown });
}
