// Administrator sessions, kept in memory: a restart signs every administrator
// out, and behind a load balancer a session is known only to the instance
// that created it (a shared store comes with the PostgreSQL work).

export interface AdminSession {
  readonly username: string;
  readonly expiresAt: number;
}

export interface AdminSessionsOptions {
  readonly ttlMs: number;
  readonly now?: () => number;
  readonly maxSessions?: number;
}

const TOKEN_BYTES = 32;

export class AdminSessions {
  readonly #sessions = new Map<string, AdminSession>();
  readonly #now: () => number;
  readonly #maxSessions: number;

  constructor(private readonly options: AdminSessionsOptions) {
    this.#now = options.now ?? Date.now;
    this.#maxSessions = options.maxSessions ?? 1_000;
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** A fresh 256-bit random token, base64url, for the cookie. */
  create(username: string): { token: string; session: AdminSession } {
    this.#prune();
    const token = randomToken(TOKEN_BYTES);
    const session = { username, expiresAt: this.#now() + this.options.ttlMs };
    this.#sessions.set(token, session);
    for (const oldest of this.#sessions.keys()) {
      if (this.#sessions.size <= this.#maxSessions) break;
      this.#sessions.delete(oldest);
    }
    return { token, session };
  }

  /** The live session for `token`; expiry is absolute, checked here on the server. */
  get(token: string): AdminSession | undefined {
    const session = this.#sessions.get(token);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(token);
      return undefined;
    }
    return session;
  }

  delete(token: string): void {
    this.#sessions.delete(token);
  }

  #prune(): void {
    const now = this.#now();
    for (const [token, session] of this.#sessions) {
      if (session.expiresAt <= now) this.#sessions.delete(token);
    }
  }
}

/** `byteCount` random bytes from the platform CSPRNG, base64url without padding. */
export function randomToken(byteCount: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(byteCount));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(
    /\//g,
    "_",
  ).replace(/=+$/, "");
}
