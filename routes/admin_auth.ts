import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AdminSessions, randomToken } from "./admin_sessions.ts";
import { jsonError } from "./json_error.ts";
import { LoginThrottle } from "./login_throttle.ts";
import {
  hashPassword,
  parsePasswordHash,
  type PasswordHash,
  timingSafeEqual,
  verifyPassword,
} from "./password_hash.ts";
import {
  ADMIN_PASSWORD_HASH_ENV,
  ADMIN_USER_ENV,
  type AdminAuthConfig,
  AdminAuthConfigError,
  DEV_ENV,
} from "./admin_auth_config.ts";
import type { DevCredentialStore } from "./settings_store.ts";

export { hashPassword } from "./password_hash.ts";

export const ADMIN_LOGIN_PATH = "/api/admin/login";
export const ADMIN_LOGOUT_PATH = "/api/admin/logout";
export const ADMIN_SESSION_PATH = "/api/admin/session";

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const MAX_LOGIN_FAILURES = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const COOKIE_NAME = "desktop_chat_admin";
// The `__Host-` prefix makes the browser refuse the cookie unless it is
// Secure, host-only and Path=/ (RFC 6265bis §4.1.3.2); only possible over https.
const SECURE_COOKIE_NAME = `__Host-${COOKIE_NAME}`;

export interface AdminIdentity {
  readonly username: string;
}

/** Hono environment of routes behind {@link requireAdmin}: `c.get("admin")`. */
export type AdminEnv = { Variables: { admin: AdminIdentity } };

export interface AdminAuthOptions {
  readonly config: AdminAuthConfig;
  /** Where dev mode keeps its generated password's hash; needed only then. */
  readonly devCredentials?: DevCredentialStore;
  readonly sessionTtlMs?: number;
  /**
   * `auto`: Secure cookies when the request came over https. Set `true`
   * behind a proxy that terminates TLS, where the service sees http.
   */
  readonly secureCookie?: boolean | "auto";
  /** Client address for rate limiting; by default the TCP peer from `Deno.serve`. */
  readonly clientIp?: (c: Context) => string;
  readonly now?: () => number;
  /** Where the development password is printed. */
  readonly log?: (line: string) => void;
}

/**
 * The administrator credential and its sessions. Build it with
 * {@link createAdminAuth}; use it through {@link requireAdmin},
 * {@link adminRoutes} and {@link sameOriginWrites}.
 */
export class AdminAuth {
  readonly #credential: PasswordHash | undefined;
  readonly #sessions: AdminSessions;
  readonly #throttle: LoginThrottle;
  readonly #clientIp: (c: Context) => string;
  readonly #secureCookie: boolean | "auto";
  #usernameDigest: Promise<Uint8Array> | undefined;

  constructor(
    readonly username: string,
    credential: PasswordHash | undefined,
    readonly allowedOrigins: readonly string[],
    options: AdminAuthOptions,
  ) {
    this.#credential = credential;
    this.#sessions = new AdminSessions({
      ttlMs: options.sessionTtlMs ?? SESSION_TTL_MS,
      now: options.now,
    });
    this.#throttle = new LoginThrottle({
      maxFailures: MAX_LOGIN_FAILURES,
      windowMs: LOGIN_WINDOW_MS,
      now: options.now,
    });
    this.#clientIp = options.clientIp ?? connectionAddress;
    this.#secureCookie = options.secureCookie ?? "auto";
  }

  /** False in production until `DESKTOP_CHAT_ADMIN_PASSWORD_HASH` is set: admin endpoints answer 503. */
  get configured(): boolean {
    return this.#credential !== undefined;
  }

  /** Throws 503 when no credential is configured, saying how to configure one. */
  assertConfigured(): PasswordHash {
    if (this.#credential === undefined) {
      throw jsonError(
        503,
        `Administrator sign-in is not configured. Set ${ADMIN_PASSWORD_HASH_ENV} to the line printed by ` +
          `\`deno run scripts/hash_password.ts\` (user name from ${ADMIN_USER_ENV}, default "admin") ` +
          `and restart, or set ${DEV_ENV}=1 on a development machine for a generated password.`,
      );
    }
    return this.#credential;
  }

  /**
   * Checks a user name and password under the rate limit: 429 after
   * {@link MAX_LOGIN_FAILURES} failures in {@link LOGIN_WINDOW_MS} from the
   * client's address or for the user name, 401 when wrong.
   */
  async authenticate(
    c: Context,
    username: string,
    password: string,
    challenge: string,
  ): Promise<AdminIdentity> {
    const credential = this.assertConfigured();
    const keys = [
      `ip:${this.#clientIp(c)}`,
      `user:${username.slice(0, 256).toLowerCase()}`,
    ];
    const retryAfter = this.#throttle.retryAfterSeconds(keys);
    if (retryAfter > 0) {
      // RFC 6585 §4: 429 Too Many Requests, with Retry-After in seconds.
      throw jsonError(
        429,
        "Too many failed sign-in attempts. Try again later.",
        {
          headers: { "Retry-After": String(retryAfter) },
        },
      );
    }
    // Counted before the slow check, so parallel guesses cannot all slip
    // under the limit; a success clears it again.
    this.#throttle.recordFailure(keys);
    const [userMatches, passwordMatches] = await Promise.all([
      this.#usernameMatches(username),
      // Always derived, even for a wrong user name, so timing does not reveal it.
      verifyPassword(password, credential),
    ]);
    if (!userMatches || !passwordMatches) {
      throw jsonError(401, "Wrong user name or password.", {
        headers: { "WWW-Authenticate": challenge },
      });
    }
    this.#throttle.reset(keys);
    return { username: this.username };
  }

  startSession(c: Context, identity: AdminIdentity): void {
    const previous = this.#sessionToken(c);
    if (previous !== undefined) this.#sessions.delete(previous);
    const { token } = this.#sessions.create(identity.username);
    const secure = this.#isSecure(c);
    setCookie(c, secure ? SECURE_COOKIE_NAME : COOKIE_NAME, token, {
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
      secure,
      maxAge: Math.floor(this.#sessions.ttlMs / 1000),
    });
  }

  sessionOf(c: Context): AdminIdentity | undefined {
    const token = this.#sessionToken(c);
    return token === undefined ? undefined : this.#sessions.get(token);
  }

  endSession(c: Context): void {
    const token = this.#sessionToken(c);
    if (token !== undefined) this.#sessions.delete(token);
    const secure = this.#isSecure(c);
    deleteCookie(c, secure ? SECURE_COOKIE_NAME : COOKIE_NAME, {
      path: "/",
      secure,
    });
  }

  #sessionToken(c: Context): string | undefined {
    return getCookie(c, this.#isSecure(c) ? SECURE_COOKIE_NAME : COOKIE_NAME);
  }

  #isSecure(c: Context): boolean {
    return this.#secureCookie === "auto"
      ? new URL(c.req.url).protocol === "https:"
      : this.#secureCookie;
  }

  async #usernameMatches(username: string): Promise<boolean> {
    // Digests have one length, so the comparison time says nothing about the name.
    this.#usernameDigest ??= sha256(this.username);
    return timingSafeEqual(await sha256(username), await this.#usernameDigest);
  }
}

/**
 * Builds the administrator's authentication from configuration. Without a
 * configured hash: in dev mode, a random password is generated once, its
 * hash kept in `devCredentials` and the password logged; in production the
 * admin endpoints answer 503.
 */
export async function createAdminAuth(
  options: AdminAuthOptions,
): Promise<AdminAuth> {
  const { config } = options;
  const log = options.log ?? console.log;
  let credential = config.passwordHash;
  if (credential === undefined && config.dev) {
    credential = await devCredential(
      config.username,
      options.devCredentials,
      log,
    );
  } else if (credential === undefined) {
    log(
      `Desktop Chat: administrator sign-in is disabled until ${ADMIN_PASSWORD_HASH_ENV} is set ` +
        `(deno run scripts/hash_password.ts).`,
    );
  }
  return new AdminAuth(
    config.username,
    credential,
    config.allowedOrigins,
    options,
  );
}

async function devCredential(
  username: string,
  store: DevCredentialStore | undefined,
  log: (line: string) => void,
): Promise<PasswordHash> {
  if (store === undefined) {
    throw new AdminAuthConfigError(
      DEV_ENV,
      "dev mode without a configured hash needs a store for the generated one",
    );
  }
  const existing = await store.getDevPasswordHash();
  if (existing !== null) {
    log(
      `Desktop Chat dev mode: administrator "${username}" keeps the password printed when it was generated; ` +
        `to choose one, set ${ADMIN_PASSWORD_HASH_ENV} (deno run scripts/hash_password.ts).`,
    );
    return parsePasswordHash(existing);
  }
  const password = randomToken(18);
  const stored = await store.putDevPasswordHashIfAbsent(
    await hashPassword(password),
  );
  if (stored.created) {
    log(
      `Desktop Chat dev mode: administrator "${username}", password "${password}" (shown once).`,
    );
  }
  return parsePasswordHash(stored.hash);
}

function connectionAddress(c: Context): string {
  const env: unknown = c.env;
  if (typeof env === "object" && env !== null && "remoteAddr" in env) {
    const address: unknown = env.remoteAddr;
    if (
      typeof address === "object" && address !== null && "hostname" in address
    ) {
      if (typeof address.hostname === "string") return address.hostname;
    }
  }
  return "unknown";
}

function sha256(text: string): Promise<Uint8Array> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then((
    digest,
  ) => new Uint8Array(digest));
}
