// Writes Prosody 0.12's file storage (`storage = "internal"`) directly, so
// thousands of accounts and rosters exist before Prosody starts: one
// `prosodyctl register` costs ≈ 40 ms, 2,000 of them minutes
// (reference/prosody-notes.md). The layout and field names copy what
// `prosodyctl register`, a roster push and a vCard set actually wrote:
//   DATA/localhost/accounts/USER.dat  (mod_auth_internal_hashed)
//   DATA/localhost/roster/USER.dat    (core/rostermanager.lua)
//   DATA/localhost/vcard/USER.dat     (mod_vcard, read by mod_vjud too)

import { join } from "node:path";
import {
  luaDataFile,
  luaRecord,
  luaSet,
  type LuaTable,
  type LuaValue,
} from "./prosody_lua.ts";

export type PasswordHash = "SHA-1" | "SHA-256";

export interface ProsodyUser {
  readonly username: string;
  readonly password: string;
}

export type Subscription = "none" | "to" | "from" | "both";

/** One roster item (RFC 6121 §2.1.2). */
export interface RosterItem {
  readonly jid: string;
  readonly name?: string;
  readonly groups: readonly string[];
  readonly subscription: Subscription;
}

/** Roster items keyed by the owner's username. */
export type RosterSeed = Readonly<Record<string, readonly RosterItem[]>>;

/** The vcard-temp fields mod_vjud searches (XEP-0054, XEP-0055). */
export interface Vcard {
  readonly fn: string;
  readonly nick: string;
  readonly given: string;
  readonly family: string;
  readonly email: string;
}

export type SeedStore = "accounts" | "roster" | "vcard";

export interface SeedOptions {
  readonly domain?: string;
  readonly roster?: RosterSeed;
  readonly vcards?: Readonly<Record<string, Vcard>>;
  readonly passwordHash?: PasswordHash;
  readonly iterationCount?: number;
  /** Stores whose existing files are left alone (a kept dev data dir). */
  readonly keepExisting?: readonly SeedStore[];
}

/** Prosody's own default (`default_iteration_count`, mod_auth_internal_hashed). */
export const PROSODY_DEFAULT_ITERATIONS = 10_000;

// Web Crypto's PBKDF2 runs off the main thread, so a few derivations in
// flight at once use every core; more only queue.
const SEED_CONCURRENCY = 16;

export async function seedUsers(
  dataDir: string,
  users: readonly ProsodyUser[],
  options: SeedOptions = {},
): Promise<void> {
  const domain = options.domain ?? "localhost";
  const keep = new Set(options.keepExisting ?? []);
  const hash = options.passwordHash ?? "SHA-1";
  const iterations = options.iterationCount ?? PROSODY_DEFAULT_ITERATIONS;
  for (const store of ["accounts", "roster", "vcard"] as const) {
    await Deno.mkdir(join(dataDir, encodePathPart(domain), store), {
      recursive: true,
    });
  }
  const tasks: Array<() => Promise<void>> = [];
  for (const user of users) {
    tasks.push(async () => {
      const account = await scramAccount(user.password, hash, iterations);
      await writeStore(
        storagePath(dataDir, domain, "accounts", user.username),
        luaDataFile(accountTable(account)),
        keep.has("accounts"),
      );
    });
  }
  for (const [username, items] of Object.entries(options.roster ?? {})) {
    tasks.push(() =>
      writeStore(
        storagePath(dataDir, domain, "roster", username),
        luaDataFile(rosterTable(items)),
        keep.has("roster"),
      )
    );
  }
  for (const [username, vcard] of Object.entries(options.vcards ?? {})) {
    tasks.push(() =>
      writeVcard(dataDir, domain, username, vcard, keep.has("vcard"))
    );
  }
  await runPool(tasks, SEED_CONCURRENCY);
}

/**
 * Stores a vCard the way mod_vcard does. mod_vcard and mod_vjud read the
 * store on every request (storage_internal keeps no cache), so this also
 * works while Prosody runs; the write is atomic so a reader never sees half.
 */
export function writeVcard(
  dataDir: string,
  domain: string,
  username: string,
  vcard: Vcard,
  keepExisting = false,
): Promise<void> {
  return writeStore(
    storagePath(dataDir, domain, "vcard", username),
    luaDataFile(vcardTable(vcard)),
    keepExisting,
  );
}

export interface ScramAccount {
  readonly salt: string;
  readonly iterationCount: number;
  readonly storedKey: string;
  readonly serverKey: string;
}

/**
 * RFC 5802 §3: SaltedPassword = PBKDF2(password, salt, i),
 * StoredKey = H(HMAC(SaltedPassword, "Client Key")),
 * ServerKey = HMAC(SaltedPassword, "Server Key"); Prosody keeps both as
 * lowercase hex and uses its UUID salt string's bytes as the salt.
 * Like Prosody's create_user, the password is used as given (no SASLprep),
 * which is the same thing for the ASCII passwords tests use.
 */
export async function scramAccount(
  password: string,
  hash: PasswordHash,
  iterationCount: number,
  salt: string = crypto.randomUUID(),
): Promise<ScramAccount> {
  const encoder = new TextEncoder();
  const passwordKey = await crypto.subtle.importKey(
    "raw",
    encoder.encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const salted = await crypto.subtle.deriveBits(
    {
      name: "PBKDF2",
      hash,
      salt: encoder.encode(salt),
      iterations: iterationCount,
    },
    passwordKey,
    hash === "SHA-1" ? 160 : 256,
  );
  const hmacKey = await crypto.subtle.importKey(
    "raw",
    salted,
    { name: "HMAC", hash },
    false,
    ["sign"],
  );
  const clientKey = await crypto.subtle.sign(
    "HMAC",
    hmacKey,
    encoder.encode("Client Key"),
  );
  const serverKey = await crypto.subtle.sign(
    "HMAC",
    hmacKey,
    encoder.encode("Server Key"),
  );
  const storedKey = await crypto.subtle.digest(hash, clientKey);
  return {
    salt,
    iterationCount,
    storedKey: toHex(storedKey),
    serverKey: toHex(serverKey),
  };
}

function accountTable(account: ScramAccount): LuaTable {
  return luaRecord({
    salt: account.salt,
    iteration_count: account.iterationCount,
    server_key: account.serverKey,
    stored_key: account.storedKey,
  });
}

// rostermanager keeps its metadata under the key `false`; `version` feeds
// roster versioning (RFC 6121 §2.6) and `pending` holds inbound requests.
function rosterTable(items: readonly RosterItem[]): LuaTable {
  const meta = luaRecord({ version: 1, pending: {} });
  return {
    keyed: [
      [false, meta],
      ...items.map((item) => [item.jid, rosterItemTable(item)] as const),
    ],
  };
}

function rosterItemTable(item: RosterItem): LuaTable {
  const fields: Record<string, LuaValue> = {
    subscription: item.subscription,
    groups: luaSet(item.groups),
  };
  if (item.name !== undefined) fields.name = item.name;
  return luaRecord(fields);
}

// util/stanza.lua preserialize: an element is a table with `name`, `attr`
// and its children (text as strings) in the array part.
function element(name: string, ...children: LuaValue[]): LuaTable {
  return {
    list: children,
    keyed: [["name", name], ["attr", luaRecord({ xmlns: "vcard-temp" })]],
  };
}

function vcardTable(vcard: Vcard): LuaTable {
  return element(
    "vCard",
    element("FN", vcard.fn),
    element(
      "N",
      element("FAMILY", vcard.family),
      element("GIVEN", vcard.given),
    ),
    element("NICKNAME", vcard.nick),
    element("EMAIL", element("INTERNET"), element("USERID", vcard.email)),
  );
}

/**
 * util/datamanager.lua getpath: user and host names are escaped byte by
 * byte, every byte outside [A-Za-z0-9] (Lua's `%W`) becoming `%xx`.
 */
export function encodePathPart(name: string): string {
  let out = "";
  for (const byte of new TextEncoder().encode(name)) {
    const isAlnum = (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    out += isAlnum
      ? String.fromCharCode(byte)
      : "%" + byte.toString(16).padStart(2, "0");
  }
  return out;
}

export function storagePath(
  dataDir: string,
  domain: string,
  store: SeedStore,
  username: string,
): string {
  return join(
    dataDir,
    encodePathPart(domain),
    store,
    `${encodePathPart(username)}.dat`,
  );
}

async function writeStore(
  path: string,
  content: string,
  keepExisting: boolean,
): Promise<void> {
  if (keepExisting && await exists(path)) return;
  const temporary = `${path}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(temporary, content);
  await Deno.rename(temporary, path);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

async function runPool(
  tasks: ReadonlyArray<() => Promise<void>>,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      await task();
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tasks.length) }, worker),
  );
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(
    new Uint8Array(buffer),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}
