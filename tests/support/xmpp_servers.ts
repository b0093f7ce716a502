// One interface over the two chat servers the client must work on unchanged
// (issue 12): Prosody 0.12 and ejabberd 23.01, each reached over BOSH
// (XEP-0124/0206) and WebSocket (RFC 7395). `matrixTest` runs a body in the
// four cells `prosody/bosh`, `prosody/websocket`, `ejabberd/bosh` and
// `ejabberd/websocket`, each a step named after its cell, with one server
// per kind shared by both transports of a test.

import {
  type ProsodyServer,
  type ProsodyUser,
  type RosterSeed,
  startProsody,
  type Vcard,
} from "../../scripts/servers/prosody.ts";
import { type EjabberdServer, startEjabberd } from "./ejabberd.ts";
import { client, type XmppClient } from "../../shared/xmpp/session/client.ts";
import { defaultSettings } from "../../shared/settings/settings_schema.ts";

export type {
  RosterItem,
  RosterSeed,
  Vcard,
} from "../../scripts/servers/prosody.ts";
export { testUsers } from "../../scripts/servers/prosody.ts";

export type ServerKind = "prosody" | "ejabberd";
export type TransportKind = "bosh" | "websocket";
export type CellName = `${ServerKind}/${TransportKind}`;

export const SERVER_KINDS: readonly ServerKind[] = ["prosody", "ejabberd"];
export const TRANSPORTS: readonly TransportKind[] = ["bosh", "websocket"];

/**
 * Both servers' upload limit unless a test sets its own: the settings'
 * default attachments.maxBytes (10 MiB), so the client meets the same limit
 * on both (their own defaults differ: Prosody 10 MiB, ejabberd 100 MiB).
 */
export const TEST_UPLOAD_MAX_BYTES = defaultSettings().attachments.maxBytes;

/** A test account; the same shape on both servers. */
export type TestUser = ProsodyUser;

export interface ServerOptions {
  readonly users?: readonly TestUser[];
  /** One-sided roster items, written before any client signs in. */
  readonly roster?: RosterSeed;
  readonly vcards?: Readonly<Record<string, Vcard>>;
  /** XEP-0313 archive; off by default. */
  readonly mam?: boolean;
  /**
   * Prosody's stored SCRAM hash, which decides the one SCRAM it offers
   * (default SHA-1). ejabberd stores plain passwords and offers
   * SCRAM-SHA-512/256/1 whatever this says (ejabberd-notes.md).
   */
  readonly passwordHash?: "SHA-1" | "SHA-256";
  /** Also serve over TLS with a self-signed certificate (secureService). */
  readonly https?: boolean;
  /**
   * XEP-0363 HTTP File Upload at `upload.<domain>` (Prosody
   * mod_http_file_share, ejabberd mod_http_upload); default true. False:
   * the server offers no upload service (disco#items does not list it).
   */
  readonly upload?: boolean;
  /** The largest file the service grants a slot for; default TEST_UPLOAD_MAX_BYTES. */
  readonly uploadMaxBytes?: number;
}

/**
 * The server's XEP-0363 service. On both servers its slots' PUT and GET
 * URLs are on the BOSH origin, `http://127.0.0.1:<httpPort>`: Prosody
 * `/file_share/<slot>/<filename>` (an `Authorization: Bearer` header to
 * send with the PUT), ejabberd `/upload/<sha1>/<random>/<filename>` (no
 * header). Both send CORS headers for any origin (see
 * tests/integration/http_upload_server_test.ts for what each answers).
 */
export interface UploadService {
  /** `upload.<domain>`, listed in disco#items of the domain (XEP-0363 §3). */
  readonly jid: string;
  /** Its disco#info `max-file-size`; a bigger slot request is refused (§5). */
  readonly maxBytes: number;
  /** Origin of the slot URLs: `http://127.0.0.1:<httpPort>`. */
  readonly origin: string;
}

export interface TestXmppServer extends AsyncDisposable {
  readonly kind: ServerKind;
  readonly domain: string;
  readonly httpPort: number;
  readonly boshUrl: string;
  readonly wsUrl: string;
  /**
   * The XEP-0055 search service: Prosody's mod_vjud answers at the domain
   * itself, ejabberd's mod_vcard at the component `vjud.<domain>`.
   */
  readonly searchJid: string;
  /** Undefined with `upload: false`. */
  readonly upload: UploadService | undefined;
  readonly users: readonly TestUser[];
  /** The BOSH or WebSocket endpoint. */
  service(transport: TransportKind): string;
  /**
   * With `https: true`: the endpoint over TLS (https://, wss://), behind a
   * self-signed certificate no client trusts.
   */
  secureService(transport: TransportKind): string;
  register(username: string, password: string): Promise<void>;
  /** Stores the user's vCard so that directory search finds them. */
  publishVcard(username: string, vcard: Vcard): Promise<void>;
  /** Loads or unloads the directory in the running server. */
  setDirectory(enabled: boolean): Promise<void>;
  /** SIGKILL, as a crash would; restart() brings the same server back. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  /** Stops the server and removes its files; leaves no process behind. */
  stop(): Promise<void>;
  logTail(lines?: number): string;
}

export async function startServer(
  kind: ServerKind,
  options: ServerOptions = {},
): Promise<TestXmppServer> {
  const users = options.users ?? [];
  const uploadMaxBytes = options.uploadMaxBytes ?? TEST_UPLOAD_MAX_BYTES;
  const started = { ...options, users, uploadMaxBytes };
  return kind === "prosody"
    ? fromProsody(await startProsody(started), users, uploadMaxBytes)
    : fromEjabberd(await startEjabberd(started), users, uploadMaxBytes);
}

function uploadService(
  jid: string | undefined,
  maxBytes: number,
  httpPort: number,
): UploadService | undefined {
  return jid === undefined
    ? undefined
    : { jid, maxBytes, origin: `http://127.0.0.1:${httpPort}` };
}

function fromProsody(
  server: ProsodyServer,
  users: readonly TestUser[],
  uploadMaxBytes: number,
): TestXmppServer {
  return {
    kind: "prosody",
    domain: server.domain,
    httpPort: server.httpPort,
    boshUrl: server.boshUrl,
    wsUrl: server.wsUrl,
    searchJid: server.domain,
    upload: uploadService(server.uploadJid, uploadMaxBytes, server.httpPort),
    users,
    service: (transport) =>
      transport === "bosh" ? server.boshUrl : server.wsUrl,
    secureService(transport) {
      if (server.httpsPort === undefined) throw new Error("not https: true");
      const origin = `127.0.0.1:${server.httpsPort}`;
      return transport === "bosh"
        ? `https://${origin}/http-bind`
        : `wss://${origin}/xmpp-websocket`;
    },
    register: (username, password) => server.register(username, password),
    publishVcard: (username, vcard) => server.setVcard(username, vcard),
    setDirectory(enabled) {
      const call = enabled ? "load" : "unload";
      return server.prosodyctl(
        "shell",
        `module:${call}('vjud', '${server.domain}')`,
      );
    },
    kill: () => server.kill(),
    restart: () => server.restart(),
    stop: () => server.stop(),
    logTail: (lines) => server.logTail(lines),
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

function fromEjabberd(
  server: EjabberdServer,
  users: readonly TestUser[],
  uploadMaxBytes: number,
): TestXmppServer {
  return {
    kind: "ejabberd",
    domain: server.domain,
    httpPort: server.httpPort,
    boshUrl: server.boshUrl,
    wsUrl: server.wsUrl,
    searchJid: server.searchJid,
    upload: uploadService(server.uploadJid, uploadMaxBytes, server.httpPort),
    users,
    service: (transport) =>
      transport === "bosh" ? server.boshUrl : server.wsUrl,
    secureService(transport) {
      const url = transport === "bosh" ? server.httpsBoshUrl : server.wssUrl;
      if (url === undefined) throw new Error("not https: true");
      return url;
    },
    register: (username, password) => server.register(username, password),
    publishVcard: (username, vcard) => server.setVcard(username, vcard),
    setDirectory: (enabled) => server.setSearch(enabled),
    kill: () => server.kill(),
    restart: () => server.restart(),
    stop: () => server.stop(),
    logTail: (lines) => server.logTail(lines),
    [Symbol.asyncDispose]: () => server.stop(),
  };
}

/** One cell of the matrix, as a matrixTest body sees it. */
export interface Cell {
  /** `prosody/bosh`, …: also the name of the cell's step. */
  readonly name: CellName;
  readonly server: TestXmppServer;
  readonly transport: TransportKind;
  /** The server's endpoint for this cell's transport. */
  readonly service: string;
  /**
   * This cell's account for `base` (`alice` → `alice-bosh`): both cells
   * of a server share it, so each has its own users, rosters and vCards.
   */
  user(base: string): string;
  /** The bare JID of `user(base)`. */
  jid(base: string): string;
}

/** What one cell needs in the server, named through `user`. */
export type CellSeed = (user: (base: string) => string) => ServerOptions;

export interface MatrixOptions {
  /** Called once per transport; the results are merged into one server. */
  readonly seed?: CellSeed;
  /** A cell that has not finished by then fails; default 60 s. */
  readonly cellTimeoutMs?: number;
  readonly servers?: readonly ServerKind[];
  readonly transports?: readonly TransportKind[];
}

export interface CellClientOptions {
  readonly resource?: string;
  /** Default the seeded `<user>-pw`. */
  readonly password?: string;
}

/** A client (not started) of the cell's account for `base`, on its service. */
export function cellClient(
  cell: Cell,
  base: string,
  options: CellClientOptions = {},
): XmppClient {
  const username = cell.user(base);
  return client({
    service: cell.service,
    domain: cell.server.domain,
    username,
    password: options.password ?? `${username}-pw`,
    ...(options.resource === undefined ? {} : { resource: options.resource }),
  });
}

export function cellUser(transport: TransportKind, base: string): string {
  return `${base}-${transport === "bosh" ? "bosh" : "ws"}`;
}

/**
 * One Deno.test per server kind (`name [prosody]`), the server started once
 * and stopped at the end, and one step per transport named after its cell.
 */
export function matrixTest(
  name: string,
  options: MatrixOptions,
  body: (cell: Cell, t: Deno.TestContext) => Promise<void>,
): void {
  const transports = options.transports ?? TRANSPORTS;
  for (const kind of options.servers ?? SERVER_KINDS) {
    Deno.test(`${name} [${kind}]`, async (t) => {
      const seeds = transports.map((transport) =>
        options.seed?.((base) => cellUser(transport, base)) ?? {}
      );
      const server = await startServer(kind, mergeSeeds(seeds));
      try {
        for (const transport of transports) {
          const cell: Cell = {
            name: `${kind}/${transport}`,
            server,
            transport,
            service: server.service(transport),
            user: (base) => cellUser(transport, base),
            jid: (base) => `${cellUser(transport, base)}@${server.domain}`,
          };
          await t.step(
            cell.name,
            (t) =>
              withDeadline(
                cell.name,
                body(cell, t),
                options.cellTimeoutMs ?? 60_000,
              ),
          );
        }
      } finally {
        await server.stop();
      }
    });
  }
}

function mergeSeeds(seeds: readonly ServerOptions[]): ServerOptions {
  return {
    users: seeds.flatMap((seed) => seed.users ?? []),
    roster: Object.assign({}, ...seeds.map((seed) => seed.roster ?? {})),
    vcards: Object.assign({}, ...seeds.map((seed) => seed.vcards ?? {})),
    mam: seeds.some((seed) => seed.mam),
    https: seeds.some((seed) => seed.https),
    // One server for both cells: upload is off if any cell turns it off,
    // and its limit is the smallest any cell asks for.
    upload: seeds.every((seed) => seed.upload !== false),
    uploadMaxBytes: smallest(seeds.map((seed) => seed.uploadMaxBytes)),
  };
}

function smallest(values: readonly (number | undefined)[]): number | undefined {
  const defined = values.filter((value) => value !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}

/**
 * A hung cell (e.g. a BOSH session that freezes) fails after the deadline
 * instead of holding up the suite; the body's own failure is reported as is.
 * Promise.race observes `run`, so its failure after the deadline (when the
 * server stops under it) is no unhandled rejection.
 */
export async function withDeadline(
  cell: CellName,
  run: Promise<void>,
  ms: number,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${cell} did not finish within ${ms} ms`)),
      ms,
    );
  });
  try {
    await Promise.race([run, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
