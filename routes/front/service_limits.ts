// The TCP front's limits and where they come from (issue 14, "Service
// limits"). Times are in milliseconds, as the setting names say.
import { isIP } from "node:net";
import { ConfigError, type Env } from "../config.ts";
import { normalizeAddress } from "./client_address.ts";

export interface ServiceLimits {
  /** Whole request head within this from accept, or from a kept-alive request's first byte. */
  readonly headerTimeoutMs: number;
  /** The declared Content-Length bytes within this after the head. */
  readonly bodyTimeoutMs: number;
  /** The first response byte within this after the head, else 503. */
  readonly requestTimeoutMs: number;
  /** A kept-alive connection idle (no byte either way) this long is closed. */
  readonly keepAliveTimeoutMs: number;
  /** Open connections per client address; more get 503 (trusted proxies exempt). */
  readonly maxConnectionsPerAddress: number;
  /** Open connections in total; more get 503. */
  readonly maxConnections: number;
  /** Peers whose X-Forwarded-For names the client (normalized addresses). */
  readonly trustedProxies: readonly string[];
  /** Largest request head; more gets 431 (RFC 6585 §5). */
  readonly maxHeadBytes: number;
  /** Largest request body; the service takes only small JSON bodies. */
  readonly maxBodyBytes: number;
}

/**
 * Defaults: heads and bodies within 10 s, a response started within 30 s,
 * 5 s keep-alive. 256 connections per address so a contact center of
 * hundreds of agents behind one NAT can load the page at shift start
 * (browsers open up to 6 per origin, most finish at once); 2,048 in all.
 */
export const DEFAULT_SERVICE_LIMITS: ServiceLimits = {
  headerTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnectionsPerAddress: 256,
  maxConnections: 2_048,
  trustedProxies: [],
  maxHeadBytes: 16 * 1024,
  maxBodyBytes: 1024 * 1024,
};

const HOUR_MS = 3_600_000;

/**
 * Reads `DESKTOP_CHAT_HEADER_TIMEOUT_MS`, `DESKTOP_CHAT_BODY_TIMEOUT_MS`,
 * `DESKTOP_CHAT_REQUEST_TIMEOUT_MS`, `DESKTOP_CHAT_KEEP_ALIVE_TIMEOUT_MS`
 * (milliseconds, 1 to 3,600,000), `DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS`,
 * `DESKTOP_CHAT_MAX_CONNECTIONS` (1 to 1,000,000) and
 * `DESKTOP_CHAT_TRUSTED_PROXIES` (IP addresses separated by commas or
 * spaces). Unset means the default; throws {@link ConfigError} on bad values.
 */
export function loadServiceLimits(env: Env): ServiceLimits {
  const d = DEFAULT_SERVICE_LIMITS;
  const perAddress = count(
    env,
    "DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS",
    d.maxConnectionsPerAddress,
  );
  const total = count(env, "DESKTOP_CHAT_MAX_CONNECTIONS", d.maxConnections);
  return {
    ...d,
    headerTimeoutMs: millis(
      env,
      "DESKTOP_CHAT_HEADER_TIMEOUT_MS",
      d.headerTimeoutMs,
    ),
    bodyTimeoutMs: millis(env, "DESKTOP_CHAT_BODY_TIMEOUT_MS", d.bodyTimeoutMs),
    requestTimeoutMs: millis(
      env,
      "DESKTOP_CHAT_REQUEST_TIMEOUT_MS",
      d.requestTimeoutMs,
    ),
    keepAliveTimeoutMs: millis(
      env,
      "DESKTOP_CHAT_KEEP_ALIVE_TIMEOUT_MS",
      d.keepAliveTimeoutMs,
    ),
    maxConnectionsPerAddress: perAddress,
    maxConnections: total,
    trustedProxies: proxies(env.DESKTOP_CHAT_TRUSTED_PROXIES),
  };
}

function integer(
  env: Env,
  setting: string,
  fallback: number,
  max: number,
  unit: string,
): number {
  const value = env[setting]?.trim();
  if (value === undefined || value === "") return fallback;
  const number = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= max)) {
    throw new ConfigError(
      setting,
      `expected ${unit} from 1 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

function millis(env: Env, setting: string, fallback: number): number {
  return integer(env, setting, fallback, HOUR_MS, "milliseconds");
}

function count(env: Env, setting: string, fallback: number): number {
  return integer(env, setting, fallback, 1_000_000, "a number of connections");
}

function proxies(value: string | undefined): string[] {
  if (value === undefined) return [];
  const entries = value.split(/[\s,]+/).filter((entry) => entry !== "");
  for (const entry of entries) {
    if (isIP(entry) === 0) {
      throw new ConfigError(
        "DESKTOP_CHAT_TRUSTED_PROXIES",
        `${
          JSON.stringify(entry)
        } is not an IP address (ranges are not supported; list each proxy)`,
      );
    }
  }
  return entries.map(normalizeAddress);
}
