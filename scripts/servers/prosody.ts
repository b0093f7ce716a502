// A real Prosody 0.12 for integration tests, benchmarks and `deno task dev`:
// one foreground process per call, loopback only, own temp dir for config,
// pidfile, admin socket and log (reference/prosody-notes.md).

import { join } from "node:path";
import { lastLines, readIfPresent, ServerProcess } from "./server_process.ts";
import {
  configPath,
  type HttpsConfig,
  type LogLevel,
  logPath,
  type ProsodyConfig,
  renderConfig,
  type UploadConfig,
  uploadJid,
} from "./prosody_config.ts";
import {
  type PasswordHash,
  type ProsodyUser,
  type RosterSeed,
  type SeedStore,
  seedUsers,
  type Vcard,
  writeVcard,
} from "./prosody_storage.ts";

export {
  type PasswordHash,
  PROSODY_DEFAULT_ITERATIONS,
  type ProsodyUser,
  type RosterItem,
  type RosterSeed,
  type SeedOptions,
  type SeedStore,
  seedUsers,
  type Subscription,
  type Vcard,
} from "./prosody_storage.ts";
export type { LogLevel } from "./prosody_config.ts";

/** mod_http_file_share's own default size limit (10 MiB). */
export const PROSODY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

/**
 * RFC 7677 §4 asks for at least 4096 PBKDF2 iterations. Tests use that
 * floor instead of Prosody's 10,000 because xmpp.js's pure-JavaScript
 * SCRAM-SHA-1 spends 650–800 ms of CPU per sign-in at 10,000
 * (reference/stack-notes.md), which dominates tests that sign many users in.
 * The product must still be fast at 10,000: `deno task dev` uses it.
 */
export const TEST_ITERATIONS = 4096;

/** Test accounts named `names`, each with the password `<name>-pw`. */
export function testUsers(names: readonly string[]): ProsodyUser[] {
  return names.map((username) => ({ username, password: `${username}-pw` }));
}

export interface ProsodyOptions {
  /** Accounts written to storage before start (fast; see seedUsers). */
  readonly users?: readonly ProsodyUser[];
  readonly roster?: RosterSeed;
  readonly vcards?: Readonly<Record<string, Vcard>>;
  /** Stores of an existing dataDir to leave untouched when seeding. */
  readonly keepExisting?: readonly SeedStore[];
  /** Default: a free loopback port (never a fixed one on a shared machine). */
  readonly httpPort?: number;
  readonly c2sPort?: number;
  /** Prosody's data_path. Default: a temp dir, removed by stop(). */
  readonly dataDir?: string;
  readonly passwordHash?: PasswordHash;
  /** XEP-0313 archive; off by default, its file store slows down past 10,000 messages. */
  readonly mam?: boolean;
  readonly iterationCount?: number;
  /** bosh_max_inactivity in seconds (XEP-0124 §7); Prosody's default is 60. */
  readonly inactivity?: number;
  /**
   * c2s_stanza_size_limit in bytes (RFC 6120 §13.12); Prosody's default is
   * 256 KiB, for c2s, BOSH and WebSocket alike. Raised only by tests that
   * need a bigger stanza to reach the client (the 1 MB status of the
   * hostile-input corpus).
   */
  readonly stanzaSizeLimit?: number;
  /** Origins allowed cross-origin BOSH/WebSocket; default: any origin. */
  readonly corsOrigins?: readonly string[];
  readonly logLevel?: LogLevel;
  /** Bound on the wait for the HTTP endpoint; default 10 s. */
  readonly startTimeoutMs?: number;
  /**
   * Also serve BOSH/WebSocket over TLS on another free loopback port, with a
   * self-signed certificate made for this run (httpsBoshUrl, tlsCertificate).
   */
  readonly https?: boolean;
  /**
   * XEP-0363 HTTP File Upload at `upload.<domain>` (mod_http_file_share);
   * default true. False: the server offers no upload service.
   */
  readonly upload?: boolean;
  /** The largest file a slot is granted for; default PROSODY_UPLOAD_MAX_BYTES. */
  readonly uploadMaxBytes?: number;
  /**
   * Bytes one account may upload per 24 h (XEP-0363 §5 `resource-constraint`
   * past it); default 1 TB, so no test or benchmark reaches it unasked.
   */
  readonly uploadDailyQuotaBytes?: number;
}

/** The self-signed certificate of an `https: true` server. */
export interface TlsCertificate {
  /** PEM text, e.g. for `Deno.createHttpClient({ caCerts: [pem] })`. */
  readonly pem: string;
  /** The PEM file; removed by stop(). */
  readonly path: string;
  /**
   * base64 SHA-256 of the SubjectPublicKeyInfo: what Chromium's
   * `--ignore-certificate-errors-spki-list` takes to trust exactly this key.
   */
  readonly spkiSha256: string;
}

export interface ProsodyServer extends AsyncDisposable {
  readonly domain: string;
  readonly httpPort: number;
  readonly c2sPort: number;
  readonly boshUrl: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logPath: string;
  /**
   * The XEP-0363 upload service (`upload.<domain>`), listed in disco#items
   * of the domain; undefined with `upload: false`. Its slots' PUT and GET
   * URLs are on the BOSH origin: `http://127.0.0.1:<httpPort>/file_share/…`.
   */
  readonly uploadJid?: string;
  /** Set only with `https: true`, like httpsBoshUrl and tlsCertificate. */
  readonly httpsPort?: number;
  /** `https://127.0.0.1:<httpsPort>/http-bind` */
  readonly httpsBoshUrl?: string;
  readonly tlsCertificate?: TlsCertificate;
  /** In-band of Prosody's own tooling: `prosodyctl register`. */
  register(username: string, password: string): Promise<void>;
  /** Runs prosodyctl on this instance's config; throws with its output. */
  prosodyctl(...args: string[]): Promise<void>;
  /** Writes the vCard store; mod_vcard/mod_vjud see it at once. */
  setVcard(username: string, vcard: Vcard): Promise<void>;
  /** SIGTERM, bounded wait, then SIGKILL; removes temp dirs. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL now, as a crash would; files stay so restart() can reuse them. */
  kill(): Promise<void>;
  /** Starts again on the same ports and data after kill() (or stops first). */
  restart(): Promise<void>;
  /** The last lines of Prosody's log, still available after stop(). */
  logTail(lines?: number): string;
}

export interface HttpsProsodyServer extends ProsodyServer {
  readonly httpsPort: number;
  readonly httpsBoshUrl: string;
  readonly tlsCertificate: TlsCertificate;
}

const DOMAIN = "localhost";
const STOP_GRACE_MS = 5_000;
const POLL_MS = 25;
const PORT_ATTEMPTS = 3;
const KEPT_LOG_LINES = 200;

type BaseConfig = Omit<ProsodyConfig, "httpPort" | "c2sPort" | "https">;

interface TlsFiles extends TlsCertificate {
  readonly keyPath: string;
}

export function startProsody(
  options: ProsodyOptions & { readonly https: true },
): Promise<HttpsProsodyServer>;
export function startProsody(options?: ProsodyOptions): Promise<ProsodyServer>;
export async function startProsody(
  options: ProsodyOptions = {},
): Promise<ProsodyServer> {
  const runDir = await Deno.makeTempDir({ prefix: "prosody-" });
  try {
    await Deno.mkdir(join(runDir, "certs"));
    const dataDir = options.dataDir ?? join(runDir, "data");
    await Deno.mkdir(dataDir, { recursive: true });
    const tls = options.https
      ? await createSelfSignedCertificate(join(runDir, "tls"))
      : undefined;
    const config: BaseConfig = {
      domain: DOMAIN,
      dataDir,
      runDir,
      passwordHash: options.passwordHash ?? "SHA-1",
      iterationCount: options.iterationCount ?? TEST_ITERATIONS,
      mam: options.mam ?? false,
      inactivity: options.inactivity ?? 60,
      stanzaSizeLimit: options.stanzaSizeLimit,
      corsOrigins: options.corsOrigins,
      logLevel: options.logLevel ?? "info",
      upload: uploadConfig(options),
    };
    await seedUsers(dataDir, options.users ?? [], {
      domain: DOMAIN,
      roster: options.roster,
      vcards: options.vcards,
      passwordHash: config.passwordHash,
      iterationCount: config.iterationCount,
      keepExisting: options.keepExisting,
    });
    return await launchWithFreePorts(config, options, tls);
  } catch (error) {
    await Deno.remove(runDir, { recursive: true });
    throw error;
  }
}

function uploadConfig(options: ProsodyOptions): UploadConfig | undefined {
  if (options.upload === false) return undefined;
  return {
    maxBytes: options.uploadMaxBytes ?? PROSODY_UPLOAD_MAX_BYTES,
    dailyQuotaBytes: options.uploadDailyQuotaBytes ?? 1e12,
    // Files go with the temp dir; a day outlives any run.
    expiresAfterSeconds: 86_400,
  };
}

/** A port the kernel just handed out on 127.0.0.1 (bind port 0, read it back). */
export function freeLoopbackPort(): number {
  return freeLoopbackPorts(1)[0];
}

function freeLoopbackPorts(count: number): number[] {
  // Hold every listener until all are read, so the kernel cannot hand the
  // same port out twice.
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((listener) => listener.addr.port);
  for (const listener of listeners) listener.close();
  return ports;
}

/**
 * Prosody does not exit when a port is taken: it logs "Failed to open
 * server port" and keeps running, and a readiness probe would then reach
 * whatever holds the port. So a taken port is detected in the log, and
 * ports we picked ourselves (lost to a race) are picked again.
 */
async function launchWithFreePorts(
  base: BaseConfig,
  options: ProsodyOptions,
  tls: TlsFiles | undefined,
): Promise<ProsodyInstance> {
  for (let attempt = 1;; attempt++) {
    const [freeHttp, freeC2s, freeHttps] = freeLoopbackPorts(tls ? 3 : 2);
    const https: HttpsConfig | undefined = tls && {
      port: freeHttps,
      certificatePath: tls.path,
      keyPath: tls.keyPath,
    };
    const config: ProsodyConfig = {
      ...base,
      httpPort: options.httpPort ?? freeHttp,
      c2sPort: options.c2sPort ?? freeC2s,
      https,
    };
    await Deno.writeTextFile(configPath(base.runDir), renderConfig(config));
    const instance = new ProsodyInstance(
      config,
      options.startTimeoutMs ?? 10_000,
      tls,
    );
    try {
      await instance.launch();
      return instance;
    } catch (error) {
      await instance.terminate();
      const fixed = error instanceof PortInUseError &&
        (error.port === options.httpPort || error.port === options.c2sPort);
      if (!(error instanceof PortInUseError) || fixed) throw error;
      if (attempt === PORT_ATTEMPTS) throw error;
    }
  }
}

export class PortInUseError extends Error {
  constructor(readonly port: number, logTail: string) {
    super(
      `Prosody could not listen on 127.0.0.1:${port}: the port is in use by another process.\n--- prosody log ---\n${logTail}`,
    );
    this.name = "PortInUseError";
  }
}

class ProsodyInstance implements ProsodyServer {
  readonly domain: string;
  readonly httpPort: number;
  readonly c2sPort: number;
  readonly boshUrl: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly uploadJid: string | undefined;
  readonly httpsPort: number | undefined;
  readonly httpsBoshUrl: string | undefined;
  readonly tlsCertificate: TlsCertificate | undefined;
  readonly #runDir: string;
  readonly #startTimeoutMs: number;
  #process: ServerProcess | undefined;
  #stopping: Promise<void> | undefined;
  // The log's last lines, kept when stop() removes the run dir.
  #keptLog: string | undefined;
  // Where this launch's part of the (appended) log starts, so a restart
  // never mistakes the previous run's lines for its own.
  #logOffset = 0;

  constructor(
    config: ProsodyConfig,
    startTimeoutMs: number,
    tls: TlsCertificate | undefined,
  ) {
    this.domain = config.domain;
    this.httpPort = config.httpPort;
    this.c2sPort = config.c2sPort;
    this.boshUrl = `http://127.0.0.1:${config.httpPort}/http-bind`;
    this.wsUrl = `ws://127.0.0.1:${config.httpPort}/xmpp-websocket`;
    this.dataDir = config.dataDir;
    this.configPath = configPath(config.runDir);
    this.logPath = logPath(config.runDir);
    this.uploadJid = config.upload && uploadJid(config.domain);
    this.httpsPort = config.https?.port;
    this.httpsBoshUrl = config.https &&
      `https://127.0.0.1:${config.https.port}/http-bind`;
    this.tlsCertificate = tls && {
      pem: tls.pem,
      path: tls.path,
      spkiSha256: tls.spkiSha256,
    };
    this.#runDir = config.runDir;
    this.#startTimeoutMs = startTimeoutMs;
  }

  async launch(): Promise<void> {
    this.#logOffset = readIfPresent(this.logPath).length;
    // -F: stay in the foreground so we own the process (`daemonize` is deprecated).
    const process = new ServerProcess("prosody", {
      args: ["-F", "--config", this.configPath],
    });
    this.#process = process;
    await this.#waitReady(process);
  }

  async #waitReady(process: ServerProcess): Promise<void> {
    const deadline = Date.now() + this.#startTimeoutMs;
    const httpUp = `Activated service 'http' on [127.0.0.1]:${this.httpPort}`;
    const c2sUp = `Activated service 'c2s' on [127.0.0.1]:${this.c2sPort}`;
    const httpsUp = this.httpsPort === undefined ||
      `Activated service 'https' on [127.0.0.1]:${this.httpsPort}`;
    while (true) {
      if (process.exited) {
        throw new Error(
          `Prosody exited before it was ready: ${await process.report()}\n` +
            `--- prosody log ---\n${this.logTail()}`,
        );
      }
      const log = readIfPresent(this.logPath).slice(this.#logOffset);
      const taken = /Failed to open server port (\d+)/.exec(log);
      if (taken) throw new PortInUseError(Number(taken[1]), this.logTail());
      // A TLS context Prosody cannot build leaves the port closed for good
      // while Prosody keeps running; say so now rather than at the deadline.
      const tlsFailure = /Error binding encrypted port for https: .*/.exec(log);
      if (tlsFailure) {
        throw new Error(
          `${tlsFailure[0]}\n--- prosody log ---\n${this.logTail()}`,
        );
      }
      if (
        log.includes(httpUp) && log.includes(c2sUp) &&
        (httpsUp === true || log.includes(httpsUp)) &&
        await answers(this.boshUrl)
      ) return;
      if (Date.now() > deadline) {
        throw new Error(
          `Prosody did not answer GET ${this.boshUrl} within ${this.#startTimeoutMs} ms.\n--- prosody log ---\n${this.logTail()}`,
        );
      }
      await delay(POLL_MS);
    }
  }

  register(username: string, password: string): Promise<void> {
    return this.prosodyctl("register", username, this.domain, password);
  }

  async prosodyctl(...args: string[]): Promise<void> {
    const output = await new Deno.Command("prosodyctl", {
      args: ["--config", this.configPath, ...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      const decoder = new TextDecoder();
      throw new Error(
        `prosodyctl ${args[0]} failed (code ${output.code}): ` +
          decoder.decode(output.stdout) + decoder.decode(output.stderr),
      );
    }
  }

  setVcard(username: string, vcard: Vcard): Promise<void> {
    return writeVcard(this.dataDir, this.domain, username, vcard);
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.terminate();
      this.#keptLog = this.logTail(KEPT_LOG_LINES);
      // A temporary dataDir lives inside runDir and goes with it.
      await Deno.remove(this.#runDir, { recursive: true });
    })();
    return this.#stopping;
  }

  async kill(): Promise<void> {
    await this.#process?.kill();
  }

  async restart(): Promise<void> {
    if (this.#stopping) throw new Error("Prosody was stopped; start a new one");
    await this.terminate();
    await this.launch();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  logTail(lines = 40): string {
    return lastLines(this.#keptLog ?? readIfPresent(this.logPath), lines);
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; resolves once it exited. */
  async terminate(): Promise<void> {
    await this.#process?.terminate(STOP_GRACE_MS);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url);
    await response.body?.cancel();
    return response.ok;
  } catch (error) {
    // fetch rejects with a TypeError while nothing listens yet: keep polling.
    if (error instanceof TypeError) return false;
    throw error;
  }
}

const OPENSSL = "/usr/bin/openssl";

/**
 * A P-256 key from Web Crypto (its SPKI hash comes for free) and one
 * `openssl req -x509` to sign a certificate for 127.0.0.1 and localhost.
 * The certificate is an end entity (CA:FALSE, serverAuth): rustls, behind
 * Deno's fetch, refuses a CA certificate presented as a server's own even
 * when it is the trusted root. `-config /dev/null` keeps the system
 * openssl.cnf from adding extensions of its own.
 */
async function createSelfSignedCertificate(dir: string): Promise<TlsFiles> {
  await Deno.mkdir(dir);
  const keys = await crypto.subtle.generateKey(
    { name: "ECDSA", namedCurve: "P-256" },
    true,
    ["sign", "verify"],
  );
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  const spki = await crypto.subtle.exportKey("spki", keys.publicKey);
  const keyPath = join(dir, "key.pem");
  const path = join(dir, "cert.pem");
  await Deno.writeTextFile(keyPath, pem("PRIVATE KEY", pkcs8), { mode: 0o600 });
  const output = await new Deno.Command(OPENSSL, {
    args: [
      "req",
      "-x509",
      "-new",
      "-key",
      keyPath,
      "-out",
      path,
      "-days",
      "2",
      "-sha256",
      "-subj",
      "/CN=127.0.0.1",
      "-config",
      "/dev/null",
      "-addext",
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-addext",
      "extendedKeyUsage=serverAuth",
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const decoder = new TextDecoder();
    throw new Error(
      `openssl req -x509 failed (code ${output.code}): ` +
        decoder.decode(output.stdout) + decoder.decode(output.stderr),
    );
  }
  const digest = await crypto.subtle.digest("SHA-256", spki);
  return {
    pem: await Deno.readTextFile(path),
    path,
    keyPath,
    spkiSha256: base64(digest),
  };
}

/** RFC 7468 textual encoding: base64 in 64-character lines. */
function pem(label: string, der: ArrayBuffer): string {
  const lines = base64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${
    lines.join("\n")
  }\n-----END ${label}-----\n`;
}

function base64(bytes: ArrayBuffer): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
