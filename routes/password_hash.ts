// Administrator password hashes in a self-describing line,
// `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`, so the cost can
// be raised later without breaking hashes already deployed.

export const PASSWORD_HASH_SCHEME = "pbkdf2-sha256";
/** NIST SP 800-132 asks for at least this many; our own floor for any configured hash. */
export const MIN_ITERATIONS = 100_000;
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; ≈ 100 ms of native Web Crypto here. */
export const DEFAULT_ITERATIONS = 600_000;
/** Longer passwords are refused by the CLI and the login form alike. */
export const MAX_PASSWORD_LENGTH = 1024;
// A configured hash could otherwise make every login burn seconds of CPU.
const MAX_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

export interface PasswordHash {
  readonly iterations: number;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly hash: Uint8Array<ArrayBuffer>;
}

export class PasswordHashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PasswordHashError";
  }
}

export async function hashPassword(
  password: string,
  options: { iterations?: number } = {},
): Promise<string> {
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  checkIterations(iterations);
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return [PASSWORD_HASH_SCHEME, iterations, toBase64(salt), toBase64(hash)]
    .join("$");
}

/** Parses a hash line; throws {@link PasswordHashError} saying what is wrong (never echoing the line). */
export function parsePasswordHash(line: string): PasswordHash {
  const parts = line.trim().split("$");
  if (parts.length !== 4 || parts[0] !== PASSWORD_HASH_SCHEME) {
    throw new PasswordHashError(
      `expected ${PASSWORD_HASH_SCHEME}$<iterations>$<salt base64>$<hash base64>`,
    );
  }
  const [, iterationText, saltText, hashText] = parts;
  const iterations = /^\d{1,9}$/.test(iterationText)
    ? Number(iterationText)
    : NaN;
  checkIterations(iterations);
  const salt = fromBase64(saltText, "salt");
  const hash = fromBase64(hashText, "hash");
  if (salt.length < SALT_BYTES) {
    throw new PasswordHashError(
      `the salt must be at least ${SALT_BYTES} bytes`,
    );
  }
  if (hash.length !== HASH_BYTES) {
    throw new PasswordHashError(`the hash must be ${HASH_BYTES} bytes`);
  }
  return { iterations, salt, hash };
}

export async function verifyPassword(
  password: string,
  stored: PasswordHash,
): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored.iterations);
  return timingSafeEqual(candidate, stored.hash);
}

/** Compares without an early exit, so the time taken does not tell how many leading bytes matched. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) {
    difference |= a[i] ^ (b[i % b.length] ?? 0);
  }
  return difference === 0;
}

function checkIterations(iterations: number): void {
  if (
    !Number.isInteger(iterations) || iterations < MIN_ITERATIONS ||
    iterations > MAX_ITERATIONS
  ) {
    throw new PasswordHashError(
      `the iteration count must be a whole number from ${MIN_ITERATIONS} to ${MAX_ITERATIONS}`,
    );
  }
}

async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password.normalize("NFC")),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string, what: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 === 1) {
    throw new PasswordHashError(`the ${what} is not base64`);
  }
  return Uint8Array.from(
    atob(text.padEnd(Math.ceil(text.length / 4) * 4, "=")),
    (char) => char.charCodeAt(0),
  );
}
