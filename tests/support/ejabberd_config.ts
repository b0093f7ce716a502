// The files a private ejabberd 23.01 node runs from (reference/ejabberd-notes.md):
// ejabberd.yml, ejabberdctl.cfg, inetrc and a copy of ejabberdctl that runs
// as root and execs the node, so the process we spawn is the node itself.

import { join } from "node:path";

export interface EjabberdConfig {
  readonly domain: string;
  readonly nodeName: string;
  readonly cookie: string;
  readonly httpPort: number;
  /** BOSH and WebSocket over TLS too, with a self-signed certificate. */
  readonly httpsPort?: number;
  /** Erlang distribution port: with ERL_DIST_PORT set no epmd is started. */
  readonly distPort: number;
  readonly runDir: string;
  /** c2s_shaper; "none" for tests that move many stanzas. */
  readonly shaper: "none" | "normal";
  /** XEP-0055 directory at vjud.<domain> (mod_vcard `search`). */
  readonly search: boolean;
  readonly mam: boolean;
  /** mod_bosh max_inactivity in seconds (XEP-0124 §7 `inactivity`). */
  readonly inactivity: number;
  readonly logLevel: "info" | "debug" | "warning" | "error";
  /** XEP-0363 upload service at upload.<domain>; undefined: none. */
  readonly upload?: { readonly maxBytes: number };
}

/** The XEP-0363 service's JID: mod_http_upload's default `upload.@HOST@`. */
export function uploadJid(domain: string): string {
  return `upload.${domain}`;
}

/** The request handler path mod_http_upload serves PUT and GET on. */
export const UPLOAD_PATH = "/upload";

export const SYSTEM_EJABBERDCTL = "/usr/sbin/ejabberdctl";

export const paths = (runDir: string) => ({
  confDir: join(runDir, "conf"),
  config: join(runDir, "conf", "ejabberd.yml"),
  ctlConfig: join(runDir, "conf", "ejabberdctl.cfg"),
  inetrc: join(runDir, "conf", "inetrc"),
  ctl: join(runDir, "ejabberdctl.sh"),
  logDir: join(runDir, "log"),
  log: join(runDir, "log", "ejabberd.log"),
  spool: join(runDir, "spool"),
  pid: join(runDir, "ejabberd.pid"),
  /** Certificate and key in one PEM, as ejabberd's `certfiles` takes them. */
  tls: join(runDir, "conf", "tls.pem"),
  /** mod_http_upload's docroot: the uploaded files. */
  uploads: join(runDir, "upload"),
});

/** ejabberdctl's options for a node that lives in `runDir`. */
export function ctlArgs(runDir: string): string[] {
  const p = paths(runDir);
  return [
    ...["--config-dir", p.confDir, "--config", p.config],
    ...["--ctl-config", p.ctlConfig, "--logs", p.logDir, "--spool", p.spool],
  ];
}

/**
 * ejabberd.yml as JSON, which YAML 1.2 reads as flow style: no YAML writer
 * and no quoting rules of our own. mod_http_api on loopback lets the harness
 * register users, seed rosters and vCards in milliseconds, where each
 * `ejabberdctl` call starts an Erlang VM.
 */
export function renderConfig(config: EjabberdConfig): string {
  const modules: Record<string, unknown> = {
    mod_admin_extra: {},
    mod_bosh: { max_inactivity: config.inactivity },
    mod_caps: {},
    mod_carboncopy: {},
    mod_client_state: {},
    mod_disco: {},
    mod_offline: {},
    mod_ping: {},
    mod_roster: { versioning: true },
    mod_stream_mgmt: {},
    mod_vcard: { search: config.search },
  };
  if (config.mam) modules.mod_mam = { default: "always" };
  if (config.upload) {
    modules.mod_http_upload = uploadModule(config, config.upload.maxBytes);
  }
  const handlers = {
    "/http-bind": "mod_bosh",
    "/xmpp-websocket": "ejabberd_http_ws",
  };
  const https = config.httpsPort === undefined ? [] : [{
    port: config.httpsPort,
    ip: "127.0.0.1",
    module: "ejabberd_http",
    tls: true,
    request_handlers: handlers,
  }];
  return JSON.stringify(
    {
      loglevel: config.logLevel,
      hosts: [config.domain],
      // Plain storage offers SCRAM-SHA-512/256/1 and PLAIN (notes).
      auth_password_format: "plain",
      shaper: { normal: { rate: 3000, burst_size: 20000 } },
      shaper_rules: { c2s_shaper: config.shaper },
      listen: [{
        port: config.httpPort,
        ip: "127.0.0.1",
        module: "ejabberd_http",
        request_handlers: {
          ...handlers,
          "/api": "mod_http_api",
          ...(config.upload ? { [UPLOAD_PATH]: "mod_http_upload" } : {}),
        },
      }, ...https],
      ...(https.length > 0 ? { certfiles: [paths(config.runDir).tls] } : {}),
      acl: { loopback: { ip: ["127.0.0.0/8"] } },
      access_rules: {
        local: { allow: "all" },
        c2s: { allow: "all" },
      },
      api_permissions: {
        "harness on loopback": { who: { acl: "loopback" }, what: "*" },
      },
      modules,
    },
    null,
    2,
  );
}

/**
 * mod_http_upload on the plain listener: slot URLs are
 * `http://127.0.0.1:<httpPort>/upload/…`, the BOSH origin.
 */
function uploadModule(
  config: EjabberdConfig,
  maxBytes: number,
): Record<string, unknown> {
  const url = `http://127.0.0.1:${config.httpPort}${UPLOAD_PATH}`;
  return {
    put_url: url,
    get_url: url,
    docroot: paths(config.runDir).uploads,
    max_size: maxBytes,
    custom_headers: UPLOAD_CORS_HEADERS,
  };
}

/**
 * Observed on 23.01: mod_http_upload sends no CORS header at all; it
 * answers OPTIONS with 200 and `Allow: OPTIONS, HEAD, GET, PUT` only, so a
 * page on another origin could neither PUT nor read a GET. `custom_headers`
 * go on every response of the handler, the preflight's included (Fetch
 * standard, CORS protocol). Content-Type is allowed because XEP-0363 §4
 * has the PUT carry the slot's content type, which is rarely a
 * CORS-safelisted one. ejabberd cannot echo an Origin, hence `*`.
 */
export const UPLOAD_CORS_HEADERS: Readonly<Record<string, string>> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, HEAD, PUT, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
};

/** Sourced by ejabberdctl: node name, cookie, loopback-only distribution. */
export function renderCtlConfig(config: EjabberdConfig): string {
  const p = paths(config.runDir);
  return [
    `ERLANG_NODE=${config.nodeName}@127.0.0.1`,
    `ERL_OPTIONS="-setcookie ${config.cookie} -kernel inet_dist_use_interface {127,0,0,1}"`,
    `ERL_DIST_PORT=${config.distPort}`,
    `EJABBERD_PID_PATH=${p.pid}`,
    "EJABBERD_BYPASS_WARNINGS=true",
    "",
  ].join("\n");
}

/** Erlang's resolver: files first, so `localhost` never waits on DNS. */
export const INETRC = `{lookup,["file","native"]}.
{host,{127,0,0,1}, ["localhost"]}.
`;

/**
 * The Debian script refuses root unless INSTALLUSER is empty (notes), and
 * runs the node as its child; `exec` makes the spawned process the node, so
 * a signal reaches it and nothing outlives it.
 */
export function renderCtlScript(system: string): string {
  const edits: readonly (readonly [string, string])[] = [
    ["INSTALLUSER=ejabberd\n", "INSTALLUSER=\n"],
    [
      'echo "WARNING: It is not recommended to run ejabberd as root" >&2',
      ":",
    ],
    ['as_current_user) "$@" ;;', 'as_current_user) exec "$@" ;;'],
  ];
  let script = system;
  for (const [from, to] of edits) {
    if (!script.includes(from)) {
      throw new Error(
        `${SYSTEM_EJABBERDCTL} has changed: no "${from.trim()}" to edit`,
      );
    }
    script = script.replace(from, to);
  }
  return script;
}

export async function writeRunFiles(config: EjabberdConfig): Promise<void> {
  const p = paths(config.runDir);
  for (const dir of [p.confDir, p.logDir, p.spool]) await Deno.mkdir(dir);
  await Deno.writeTextFile(p.config, renderConfig(config));
  await Deno.writeTextFile(p.ctlConfig, renderCtlConfig(config));
  await Deno.writeTextFile(p.inetrc, INETRC);
  if (config.httpsPort !== undefined) await selfSignedPem(p.tls);
  const system = await Deno.readTextFile(SYSTEM_EJABBERDCTL);
  await Deno.writeTextFile(p.ctl, renderCtlScript(system), { mode: 0o755 });
}

/**
 * A certificate for 127.0.0.1 that no client trusts: what the tests of an
 * untrusted chat server need (an end entity, as rustls insists).
 */
async function selfSignedPem(path: string): Promise<void> {
  const key = `${path}.key`;
  const cert = `${path}.crt`;
  const output = await new Deno.Command("/usr/bin/openssl", {
    args: [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt"],
      ...["ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key],
      ...["-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1"],
      ...["-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
      ...["-addext", "basicConstraints=critical,CA:FALSE"],
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    throw new Error(
      `openssl req -x509 failed: ${new TextDecoder().decode(output.stderr)}`,
    );
  }
  const pem = await Deno.readTextFile(cert) + await Deno.readTextFile(key);
  await Deno.writeTextFile(path, pem, { mode: 0o600 });
}
