// The administrator's credential, allowed origins and hosts, cookie and
// sign-in limits, read from the environment.
import {
  parseAllowedHosts,
  parsePublicOrigin,
  PUBLIC_ORIGIN_ENV,
} from "./host_policy.ts";
import { loadLoginLimits, type LoginLimits } from "./login_limits.ts";
import {
  parsePasswordHash,
  type PasswordHash,
  PasswordHashError,
} from "./password_hash.ts";
import {
  AdminAuthConfigError,
  type Env,
  parseFlag,
  parseList,
} from "./setting_parsers.ts";

export { AdminAuthConfigError, type Env } from "./setting_parsers.ts";

export const ADMIN_USER_ENV = "DESKTOP_CHAT_ADMIN_USER";
export const ADMIN_PASSWORD_HASH_ENV = "DESKTOP_CHAT_ADMIN_PASSWORD_HASH";
export const DEV_ENV = "DESKTOP_CHAT_DEV";
export const ADMIN_ORIGINS_ENV = "DESKTOP_CHAT_ADMIN_ORIGINS";
export const SECURE_COOKIE_ENV = "DESKTOP_CHAT_SECURE_COOKIE";

/** `auto`: Secure when the request came over https; true/false: always/never. */
export type SecureCookie = boolean | "auto";

export interface AdminAuthConfig {
  readonly username: string;
  /** From `DESKTOP_CHAT_ADMIN_PASSWORD_HASH`; undefined when not configured. */
  readonly passwordHash: PasswordHash | undefined;
  readonly dev: boolean;
  /** Origins besides the service's own that may send admin writes. */
  readonly allowedOrigins: readonly string[];
  /**
   * Hosts whose requests count as the service's own origin
   * (DESKTOP_CHAT_ALLOWED_HOSTS); in dev mode loopback names too.
   */
  readonly allowedHosts: readonly string[];
  readonly secureCookie: SecureCookie;
  readonly limits: LoginLimits;
}

/** Reads the administrator's settings from the environment; throws {@link AdminAuthConfigError}. */
export function loadAdminAuthConfig(env: Env): AdminAuthConfig {
  return {
    username: parseUsername(env[ADMIN_USER_ENV]),
    passwordHash: parseHashSetting(env[ADMIN_PASSWORD_HASH_ENV]),
    dev: parseFlag(DEV_ENV, env[DEV_ENV]),
    allowedOrigins: parseOrigins(env[ADMIN_ORIGINS_ENV]),
    allowedHosts: parseAllowedHosts(env),
    secureCookie: parseSecureCookie(env),
    limits: loadLoginLimits(env),
  };
}

// Behind a proxy that terminates TLS the service sees http, so `auto` would
// never mark the cookie Secure: an https public origin says that is the case.
function parseSecureCookie(env: Env): SecureCookie {
  const text = (env[SECURE_COOKIE_ENV] ?? "").trim().toLowerCase();
  if (text === "") {
    const origin = parsePublicOrigin(env[PUBLIC_ORIGIN_ENV]);
    return origin?.startsWith("https:") ? true : "auto";
  }
  if (text === "auto") return "auto";
  try {
    return parseFlag(SECURE_COOKIE_ENV, text);
  } catch (error) {
    if (!(error instanceof AdminAuthConfigError)) throw error;
    throw new AdminAuthConfigError(
      SECURE_COOKIE_ENV,
      `expected auto, on or off, got ${JSON.stringify(env[SECURE_COOKIE_ENV])}`,
    );
  }
}

function parseUsername(value: string | undefined): string {
  if (value === undefined || value === "") return "admin";
  // RFC 7617 §2: the user-id of Basic credentials cannot contain a colon.
  // deno-lint-ignore no-control-regex
  if (value.length > 128 || /[:\u0000-\u001f\u007f]/.test(value)) {
    throw new AdminAuthConfigError(
      ADMIN_USER_ENV,
      "expected a user name of at most 128 characters, without colons",
    );
  }
  return value;
}

function parseHashSetting(value: string | undefined): PasswordHash | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  try {
    return parsePasswordHash(value);
  } catch (error) {
    if (!(error instanceof PasswordHashError)) throw error;
    throw new AdminAuthConfigError(
      ADMIN_PASSWORD_HASH_ENV,
      `${error.message}; generate one with \`deno run scripts/hash_password.ts\``,
    );
  }
}

function parseOrigins(value: string | undefined): string[] {
  return parseList(value).map((origin) => {
    const url = URL.parse(origin);
    const bare = url !== null && url.pathname === "/" && url.search === "" &&
      url.hash === "" && url.username === "" && url.password === "";
    if (!bare || !/^https?:$/.test(url.protocol)) {
      throw new AdminAuthConfigError(
        ADMIN_ORIGINS_ENV,
        "expected origins such as https://finesse.example.com:8445 " +
          `(scheme, host and port only), got ${JSON.stringify(origin)}`,
      );
    }
    return url.origin;
  });
}
