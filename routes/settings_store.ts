// deno.json's explicit `lib` leaves out the unstable types that declare Deno KV.
import { dirname } from "node:path";
import {
  type ChatServerSettings,
  validateSettings,
} from "../shared/settings/settings_schema.ts";

export interface StoredSettings {
  readonly settings: ChatServerSettings;
  /** Opaque, changes on every write; safe to put inside an HTTP entity tag (RFC 9110 §8.8.3 etagc). */
  readonly version: string;
}

export type PutResult =
  | { ok: true; version: string }
  /** Someone else wrote first: `current` is their version (`null`: nothing stored). */
  | { ok: false; current: string | null };

/**
 * Where the administrator's settings live. Deno KV is the embedded default;
 * a PostgreSQL implementation shared by several service instances can take
 * its place (roadmap item 4), so nothing here is KV-specific.
 */
export interface SettingsStore {
  get(): Promise<StoredSettings | null>;
  /**
   * Compare-and-set: writes only if the stored version is still
   * `expectedVersion` (`null`: only if nothing is stored yet), so two
   * administrators never silently overwrite each other.
   */
  put(
    settings: ChatServerSettings,
    expectedVersion: string | null,
  ): Promise<PutResult>;
  close(): void;
}

/** The generated development password's hash, kept so restarts keep the password. */
export interface DevCredentialStore {
  getDevPasswordHash(): Promise<string | null>;
  /** Stores `hash` unless another instance already did; returns the hash that is stored now. */
  putDevPasswordHashIfAbsent(
    hash: string,
  ): Promise<{ created: boolean; hash: string }>;
}

export const KV_PATH_ENV = "DESKTOP_CHAT_KV_PATH";
export const DEFAULT_KV_PATH = ".data/desktop-chat.kv";

const SETTINGS_KEY: Deno.KvKey = ["desktop-chat", "chat-server-settings"];
const DEV_PASSWORD_KEY: Deno.KvKey = [
  "desktop-chat",
  "dev-admin-password-hash",
];
// Bumped when the stored shape changes, so an old record is recognized
// rather than misread.
const RECORD_FORMAT = 1;

interface SettingsRecord {
  format: number;
  settings: unknown;
}

export class SettingsStoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SettingsStoreError";
  }
}

export class KvSettingsStore implements SettingsStore, DevCredentialStore {
  #closed = false;

  constructor(private readonly kv: Deno.Kv) {}

  async get(): Promise<StoredSettings | null> {
    const entry = await whenUnlocked(() =>
      this.kv.get<SettingsRecord>(SETTINGS_KEY)
    );
    if (entry.versionstamp === null) return null;
    return { settings: decodeRecord(entry.value), version: entry.versionstamp };
  }

  async put(
    settings: ChatServerSettings,
    expectedVersion: string | null,
  ): Promise<PutResult> {
    const record: SettingsRecord = { format: RECORD_FORMAT, settings };
    // A versionstamp check of null means "the key must not exist".
    const result = await whenUnlocked(() =>
      this.kv.atomic()
        .check({ key: SETTINGS_KEY, versionstamp: expectedVersion })
        .set(SETTINGS_KEY, record)
        .commit()
    );
    if (result.ok) return { ok: true, version: result.versionstamp };
    const current = await whenUnlocked(() => this.kv.get(SETTINGS_KEY));
    return { ok: false, current: current.versionstamp };
  }

  async getDevPasswordHash(): Promise<string | null> {
    const entry = await whenUnlocked(() =>
      this.kv.get<string>(DEV_PASSWORD_KEY)
    );
    return typeof entry.value === "string" ? entry.value : null;
  }

  async putDevPasswordHashIfAbsent(
    hash: string,
  ): Promise<{ created: boolean; hash: string }> {
    const result = await whenUnlocked(() =>
      this.kv.atomic()
        .check({ key: DEV_PASSWORD_KEY, versionstamp: null })
        .set(DEV_PASSWORD_KEY, hash)
        .commit()
    );
    if (result.ok) return { created: true, hash };
    const stored = await this.getDevPasswordHash();
    if (stored === null) {
      throw new SettingsStoreError(
        "the development password hash vanished while it was being stored",
      );
    }
    return { created: false, hash: stored };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.kv.close();
  }
}

const LOCK_RETRY_DELAYS_MS = [5, 10, 20, 40, 80, 160];

// Two handles on one SQLite file (two processes, or a second store in the
// same process) make a concurrent write fail at once with "database is
// locked" instead of waiting: retry briefly, then give up loudly. The
// compare-and-set still decides who wins.
async function whenUnlocked<T>(operation: () => Promise<T>): Promise<T> {
  for (const delay of LOCK_RETRY_DELAYS_MS) {
    try {
      return await operation();
    } catch (error) {
      if (!isDatabaseLocked(error)) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, delay * (0.5 + Math.random()))
      );
    }
  }
  try {
    return await operation();
  } catch (error) {
    if (!isDatabaseLocked(error)) throw error;
    throw new SettingsStoreError(
      "the settings database stayed locked by another process",
      { cause: error },
    );
  }
}

function isDatabaseLocked(error: unknown): boolean {
  return error instanceof Error && /database is locked/i.test(error.message);
}

function decodeRecord(value: SettingsRecord | null): ChatServerSettings {
  if (
    value === null || typeof value !== "object" ||
    value.format !== RECORD_FORMAT
  ) {
    throw new SettingsStoreError(
      `stored chat-server settings have an unknown format`,
    );
  }
  const result = validateSettings(value.settings);
  if (!result.ok) {
    throw new SettingsStoreError(
      `stored chat-server settings are no longer valid: ${
        JSON.stringify(result.errors)
      }`,
    );
  }
  return result.value;
}

/** The KV file from `DESKTOP_CHAT_KV_PATH`, relative to the working directory. */
export function settingsStorePath(
  env: Readonly<Record<string, string | undefined>>,
): string {
  const path = env[KV_PATH_ENV];
  return path === undefined || path === "" ? DEFAULT_KV_PATH : path;
}

/** Opens (creating if needed) the KV file at `path`; `":memory:"` keeps nothing. */
export async function openSettingsStore(
  path: string,
): Promise<KvSettingsStore> {
  if (path !== ":memory:") await Deno.mkdir(dirname(path), { recursive: true });
  return new KvSettingsStore(await Deno.openKv(path));
}
