// The limits of the administrator's sign-in, read from the environment.
// Two different brakes (see login_throttle.ts): a source address that keeps
// failing is refused for a while; a user name is never refused, only
// answered more slowly, so nobody can lock the administrator out.
import { type Env, parseInteger } from "./setting_parsers.ts";

export const LOGIN_WINDOW_ENV = "DESKTOP_CHAT_LOGIN_WINDOW_SECONDS";
export const LOGIN_ADDRESS_FAILURES_ENV =
  "DESKTOP_CHAT_LOGIN_MAX_FAILURES_PER_ADDRESS";
export const LOGIN_USER_FREE_FAILURES_ENV =
  "DESKTOP_CHAT_LOGIN_FREE_FAILURES_PER_USER";
export const LOGIN_MAX_DELAY_ENV = "DESKTOP_CHAT_LOGIN_MAX_DELAY_MS";

export interface LoginLimits {
  /** Failures older than this are forgotten, per address and per user name. */
  readonly windowMs: number;
  /** Failures from one address inside the window; the next attempt gets 429. */
  readonly maxFailuresPerAddress: number;
  /** Failures for one user name inside the window answered without delay. */
  readonly freeFailuresPerUser: number;
  /** The first delay after the free failures; it doubles with each failure. */
  readonly baseDelayMs: number;
  /** The longest delay of any attempt; 0 turns the delay off. */
  readonly maxDelayMs: number;
  /** Addresses and user names remembered at most, each (least recently failed dropped first). */
  readonly maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60 * 1000,
  maxFailuresPerAddress: 10,
  freeFailuresPerUser: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxKeys: 10_000,
};

// A delay holds the connection open; longer than this it would meet the
// service's request timeout and read as an outage.
const MAX_DELAY_CEILING_MS = 10_000;

/** Reads the sign-in limits; throws AdminAuthConfigError on bad values. */
export function loadLoginLimits(env: Env): LoginLimits {
  const defaults = DEFAULT_LOGIN_LIMITS;
  return {
    ...defaults,
    windowMs: 1000 * parseInteger(LOGIN_WINDOW_ENV, env[LOGIN_WINDOW_ENV], {
      min: 1,
      max: 24 * 60 * 60,
      fallback: defaults.windowMs / 1000,
    }),
    maxFailuresPerAddress: parseInteger(
      LOGIN_ADDRESS_FAILURES_ENV,
      env[LOGIN_ADDRESS_FAILURES_ENV],
      { min: 1, max: 100_000, fallback: defaults.maxFailuresPerAddress },
    ),
    freeFailuresPerUser: parseInteger(
      LOGIN_USER_FREE_FAILURES_ENV,
      env[LOGIN_USER_FREE_FAILURES_ENV],
      { min: 0, max: 1000, fallback: defaults.freeFailuresPerUser },
    ),
    maxDelayMs: parseInteger(LOGIN_MAX_DELAY_ENV, env[LOGIN_MAX_DELAY_ENV], {
      min: 0,
      max: MAX_DELAY_CEILING_MS,
      fallback: defaults.maxDelayMs,
    }),
  };
}
