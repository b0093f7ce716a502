// The administrator's credential and allowed origins, read from the environment.
import {
  parsePasswordHash,
  type PasswordHash,
  PasswordHashError,
} from "./password_hash.ts";

export const ADMIN_USER_ENV = "DESKTOP_CHAT_ADMIN_USER";
export const ADMIN_PASSWORD_HASH_ENV = "DESKTOP_CHAT_ADMIN_PASSWORD_HASH";
export const DEV_ENV = "DESKTOP_CHAT_DEV";
export const ADMIN_ORIGINS_ENV = "DESKTOP_CHAT_ADMIN_ORIGINS";

export type Env = Readonly<Record<string, string | undefined>>;

export interface AdminAuthConfig {
  readonly username: string;
  /** From `DESKTOP_CHAT_ADMIN_PASSWORD_HASH`; undefined when not configured. */
  readonly passwordHash: PasswordHash | undefined;
  readonly dev: boolean;
  /** Origins besides the service's own that may send admin writes. */
  readonly allowedOrigins: readonly string[];
}

export class AdminAuthConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = "AdminAuthConfigError";
  }
}

/** Reads the administrator's settings from the environment; throws {@link AdminAuthConfigError}. */
export function loadAdminAuthConfig(env: Env): AdminAuthConfig {
  return {
    username: parseUsername(env[ADMIN_USER_ENV]),
    passwordHash: parseHashSetting(env[ADMIN_PASSWORD_HASH_ENV]),
    dev: parseFlag(DEV_ENV, env[DEV_ENV]),
    allowedOrigins: parseOrigins(env[ADMIN_ORIGINS_ENV]),
  };
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

function parseFlag(setting: string, value: string | undefined): boolean {
  const text = (value ?? "").trim().toLowerCase();
  if (["", "0", "false", "no", "off"].includes(text)) return false;
  if (["1", "true", "yes", "on"].includes(text)) return true;
  throw new AdminAuthConfigError(
    setting,
    "expected 1/true/yes/on or 0/false/no/off",
  );
}

function parseOrigins(value: string | undefined): string[] {
  const origins = (value ?? "").split(/[\s,]+/).filter((item) => item !== "");
  return origins.map((origin) => {
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
