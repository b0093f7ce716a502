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
    ...(config.stanzaSizeLimit === undefined
      ? {}
      : { c2s_stanza_size_limit: config.stanzaSizeLimit }),
    // The page is served from another loopback origin than BOSH. mod_http's
    // per-app override replaces the deprecated cross_domain_bosh option.
    http_cors_override: luaRecord({ bosh: cors, websocket: cors }),
  };
  const lines = Object.entries(globals).map(([key, value]) =>
    `${key} = ${luaLiteral(value)}`
  );
  return `${lines.join("\n")}\n\nVirtualHost ${luaLiteral(config.domain)}\n`;
}
