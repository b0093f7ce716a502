// The Prosody 0.12 config for one loopback-only instance (see
// reference/prosody-notes.md and reference/stack-notes.md, Prosody section).

import { join } from "node:path";
import { luaLiteral, luaRecord, type LuaValue } from "./prosody_lua.ts";
import type { PasswordHash } from "./prosody_storage.ts";

export type LogLevel = "debug" | "info" | "warn";

/** Prosody's HTTP services again, over TLS (mod_http's `https` service). */
export interface HttpsConfig {
  readonly port: number;
  /** PEM files of a self-signed certificate (startProsody makes one per run). */
  readonly certificatePath: string;
  readonly keyPath: string;
}

export interface ProsodyConfig {
  readonly domain: string;
  readonly httpPort: number;
  readonly c2sPort: number;
  /** Prosody's `data_path`: accounts, rosters, vCards, archives. */
  readonly dataDir: string;
  /** Per-instance config, pidfile, admin socket, log and `certs/`. */
  readonly runDir: string;
  readonly passwordHash: PasswordHash;
  readonly iterationCount: number;
  readonly mam: boolean;
  readonly inactivity: number;
  /** c2s_stanza_size_limit; undefined keeps Prosody's 256 KiB. */
  readonly stanzaSizeLimit?: number;
  /** Origins allowed to call BOSH/WebSocket; undefined allows any origin. */
  readonly corsOrigins?: readonly string[];
  readonly logLevel: LogLevel;
  /** Undefined: no HTTPS listener at all. */
  readonly https?: HttpsConfig;
  /** Undefined: no XEP-0363 upload service. */
  readonly upload?: UploadConfig;
}

/**
 * XEP-0363 HTTP File Upload through Prosody 0.12's mod_http_file_share,
 * served as the component `upload.<domain>` (how 0.12's documentation
 * loads it), so that disco#items of the domain lists it (XEP-0363 §3).
 */
export interface UploadConfig {
  /** http_file_share_size_limit: the largest slot it grants, in bytes. */
  readonly maxBytes: number;
  /**
   * http_file_share_daily_quota: bytes one account may upload per 24 h.
   * Prosody's default is 10 × maxBytes, which a benchmark uploading 5 MB
   * files reaches within a run.
   */
  readonly dailyQuotaBytes: number;
  /** http_file_share_expires_after: seconds before a file is pruned. */
  readonly expiresAfterSeconds: number;
}

/** The upload component's JID on `domain`. */
export function uploadJid(domain: string): string {
  return `upload.${domain}`;
}

export function configPath(runDir: string): string {
  return join(runDir, "prosody.cfg.lua");
}

export function logPath(runDir: string): string {
  return join(runDir, "prosody.log");
}

const MODULES = [
  "roster",
  "saslauth",
  "disco",
  "ping",
  "carbons",
  // mod_vjud reads mod_vcard's store; vcard_legacy's is invisible to it.
  "vcard",
  "vjud",
  "register",
  "time",
  "version",
  "pep",
  "blocklist",
  "offline",
  "bosh",
  "websocket",
  // Serves the per-instance admin socket for `prosodyctl --config F shell`.
  "admin_shell",
];

/**
 * core/portmanager.lua binds `https_ports` on `https_interfaces` (without
 * them, on every interface: the https service is not `private`) and builds
 * its TLS context from `https_ssl`. The certificate is kept out of the
 * `certificates` dir on purpose: certmanager indexes that dir for every
 * service, and a certificate there would also turn on STARTTLS for c2s.
 */
function httpsGlobals(
  https: HttpsConfig | undefined,
): Record<string, LuaValue> {
  if (!https) return { https_ports: {} };
  return {
    https_ports: { list: [https.port] },
    https_interfaces: { list: ["127.0.0.1"] },
    https_ssl: luaRecord({
      certificate: https.certificatePath,
      key: https.keyPath,
    }),
  };
}

export function renderConfig(config: ProsodyConfig): string {
  const cors: LuaValue = config.corsOrigins === undefined
    ? luaRecord({ enabled: true })
    : luaRecord({ enabled: true, origins: { list: config.corsOrigins } });
  const globals: Record<string, LuaValue> = {
    // Tests and CI run as root in containers; without this Prosody refuses.
    run_as_root: true,
    data_path: config.dataDir,
    pidfile: join(config.runDir, "prosody.pid"),
    admin_socket: join(config.runDir, "admin.sock"),
    // An empty certs/ dir keeps certmanager from logging a spurious error.
    certificates: join(config.runDir, "certs"),
    log: luaRecord({ [config.logLevel]: logPath(config.runDir) }),
    modules_enabled: {
      list: config.mam ? [...MODULES, "mam"] : MODULES,
    },
    modules_disabled: { list: ["s2s"] },
    authentication: "internal_hashed",
    password_hash: config.passwordHash,
    default_iteration_count: config.iterationCount,
    allow_registration: true,
    vjud_mode: "all",
    http_ports: { list: [config.httpPort] },
    http_interfaces: { list: ["127.0.0.1"] },
    ...httpsGlobals(config.https),
    c2s_ports: { list: [config.c2sPort] },
    c2s_interfaces: { list: ["127.0.0.1"] },
    c2s_direct_tls_ports: {},
    legacy_ssl_ports: {},
    s2s_ports: {},
    // Plain http/ws on loopback: no TLS exists, so Prosody must treat these
    // transports as secure and allow PLAIN (tests and dev only).
    consider_bosh_secure: true,
    consider_websocket_secure: true,
    c2s_require_encryption: false,
    allow_unencrypted_plain_auth: true,
    bosh_max_inactivity: config.inactivity,
    // net.server_epoll reads 8 KiB per turn and, while more is buffered,
    // waits for the next turn at least min_wait (1 ms by default): a 5 MB
    // upload then took 1.7 s; with 10 µs, 0.2–0.4 s (README, Attachments).
    network_settings: luaRecord({ min_wait: 0.00001 }),
    ...(config.stanzaSizeLimit === undefined
      ? {}
      : { c2s_stanza_size_limit: config.stanzaSizeLimit }),
    // The page is served from another loopback origin than BOSH. mod_http's
    // per-app override replaces the deprecated cross_domain_bosh option.
    http_cors_override: luaRecord({
      bosh: cors,
      websocket: cors,
      ...(config.upload ? { file_share: uploadCors(config.corsOrigins) } : {}),
    }),
  };
  const sections = [
    assignments(globals),
    `VirtualHost ${luaLiteral(config.domain)}`,
    ...(config.upload ? [uploadComponent(config, config.upload)] : []),
  ];
  return `${sections.join("\n\n")}\n`;
}

function assignments(options: Record<string, LuaValue>): string {
  return Object.entries(options).map(([key, value]) =>
    `${key} = ${luaLiteral(value)}`
  ).join("\n");
}

/**
 * mod_http_file_share's own CORS (any origin, echoed back, with
 * credentials and `Authorization` allowed) is replaced as a whole by an
 * override, so the override must allow `Authorization` again: the slot's
 * PUT carries it (XEP-0363 §4). Content-Type is in mod_http's default
 * allowed headers; PUT is added by the app's route. No credentials: the
 * page never needs its cookies on the upload service.
 */
function uploadCors(origins: readonly string[] | undefined): LuaValue {
  return luaRecord({
    enabled: true,
    credentials: false,
    headers: luaRecord({ Authorization: true }),
    ...(origins === undefined ? {} : { origins: { list: origins } }),
  });
}

function uploadComponent(config: ProsodyConfig, upload: UploadConfig): string {
  const options: Record<string, LuaValue> = {
    // mod_http routes a component's app by the Host header and builds its
    // slot URLs from the component's name (`http://upload.localhost:…`,
    // which neither Deno nor every resolver maps to loopback), on the https
    // port whenever one is open. Both pinned: the app answers for Host
    // 127.0.0.1 and its URLs are on the plain BOSH origin, which the page
    // already reaches and its CSP already lists.
    http_host: "127.0.0.1",
    http_external_url: `http://127.0.0.1:${config.httpPort}/`,
    http_file_share_size_limit: upload.maxBytes,
    http_file_share_daily_quota: upload.dailyQuotaBytes,
    http_file_share_expires_after: upload.expiresAfterSeconds,
  };
  return `Component ${
    luaLiteral(uploadJid(config.domain))
  } "http_file_share"\n${assignments(options)}`;
}
