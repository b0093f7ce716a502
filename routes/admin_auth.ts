import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AdminSessions, randomToken } from "./admin_sessions.ts";
import { clientAddress } from "./client_address.ts";
import { HostPolicy } from "./host_policy.ts";
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
  type SecureCookie,
} from "./admin_auth_config.ts";
import type { DevCredentialStore } from "./settings_store.ts";

export { hashPassword } from "./password_hash.ts";

export const ADMIN_LOGIN_PATH = "/api/admin/login";
export const ADMIN_LOGOUT_PATH = "/api/admin/logout";
export const ADMIN_SESSION_PATH = "/api/admin/session";

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
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
  readonly now?: () => number;
  /** Holds a sign-in's answer for the throttle's delay; tests pass a fake. */
  readonly sleep?: (ms: number) => Promise<void>;
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
  readonly #secureCookie: SecureCookie;
  readonly #sleep: (ms: number) => Promise<void>;
  #usernameDigest: Promise<Uint8Array> | undefined;
  /** Whose Host counts as the service's own origin. */
  readonly hosts: HostPolicy;

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
    const { config } = options;
    this.#throttle = new LoginThrottle(config.limits, options.now);
    this.#secureCookie = config.secureCookie;
    this.#sleep = options.sleep ?? sleep;
    this.hosts = new HostPolicy(config.allowedHosts, config.dev);
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
   * Checks a user name and password under the sign-in limits
   * (login_throttle.ts): 429 while the client's address has failed too
   * often, else the answer after the user name's delay; 401 when wrong.
   */
  async authenticate(
    c: Context,
    username: string,
    password: string,
    challenge: string,
  ): Promise<AdminIdentity> {
    const credential = this.assertConfigured();
    const address = clientAddress(c);
    const verdict = this.#throttle.check(address, username);
    if (!verdict.allowed) throw tooManyFailures(verdict.retryAfterMs);
    this.#throttle.recordFailure(address, username);
    const [userMatches, passwordMatches] = await Promise.all([
      this.#usernameMatches(username),
      // Always derived, even for a wrong user name, so timing does not reveal it.
      verifyPassword(password, credential),
      // Right or wrong, the answer waits the same delay.
      this.#sleep(verdict.delayMs),
    ]);
    if (!userMatches || !passwordMatches) {
      throw jsonError(401, "Wrong user name or password.", {
        headers: { "WWW-Authenticate": challenge },
      });
    }
    this.#throttle.recordSuccess(address, username);
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

// RFC 6585 §4: 429 Too Many Requests; Retry-After in seconds (RFC 9110
// §10.2.3), and the same wait in words for the administrator.
function tooManyFailures(retryAfterMs: number): Error {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return jsonError(
    429,
    `Too many failed sign-ins from this address. Try again in ${
      waitText(seconds)
    }.`,
    { headers: { "Retry-After": String(seconds) } },
  );
}

function waitText(seconds: number): string {
  if (seconds < 60) return seconds === 1 ? "1 second" : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

function sha256(text: string): Promise<Uint8Array> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then((
    digest,
  ) => new Uint8Array(digest));
}
