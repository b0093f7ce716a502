// A real Prosody 0.12 for integration tests, benchmarks and `deno task dev`:
// one foreground process per call, loopback only, own temp dir for config,
// pidfile, admin socket and log (reference/prosody-notes.md).

import { join } from "node:path";
import {
  configPath,
  type LogLevel,
  logPath,
  type ProsodyConfig,
  renderConfig,
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

/**
 * RFC 7677 §4 asks for at least 4096 PBKDF2 iterations. Tests use that
 * floor instead of Prosody's 10,000 because xmpp.js's pure-JavaScript
 * SCRAM-SHA-1 spends 650–800 ms of CPU per sign-in at 10,000
 * (reference/stack-notes.md), which dominates tests that sign many users in.
 * The product must still be fast at 10,000: `deno task dev` uses it.
 */
export const TEST_ITERATIONS = 4096;

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
  /** Origins allowed cross-origin BOSH/WebSocket; default: any origin. */
  readonly corsOrigins?: readonly string[];
  readonly logLevel?: LogLevel;
  /** Bound on the wait for the HTTP endpoint; default 10 s. */
  readonly startTimeoutMs?: number;
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
  /** In-band of Prosody's own tooling: `prosodyctl register`. */
  register(username: string, password: string): Promise<void>;
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

const DOMAIN = "localhost";
const STOP_GRACE_MS = 5_000;
const POLL_MS = 25;
const PORT_ATTEMPTS = 3;
const KEPT_LOG_LINES = 200;

export async function startProsody(
  options: ProsodyOptions = {},
): Promise<ProsodyServer> {
  const runDir = await Deno.makeTempDir({ prefix: "prosody-" });
  try {
    await Deno.mkdir(join(runDir, "certs"));
    const dataDir = options.dataDir ?? join(runDir, "data");
    await Deno.mkdir(dataDir, { recursive: true });
    const config: Omit<ProsodyConfig, "httpPort" | "c2sPort"> = {
      domain: DOMAIN,
      dataDir,
      runDir,
      passwordHash: options.passwordHash ?? "SHA-1",
      iterationCount: options.iterationCount ?? TEST_ITERATIONS,
      mam: options.mam ?? false,
      inactivity: options.inactivity ?? 60,
      corsOrigins: options.corsOrigins,
      logLevel: options.logLevel ?? "info",
    };
    await seedUsers(dataDir, options.users ?? [], {
      domain: DOMAIN,
      roster: options.roster,
      vcards: options.vcards,
      passwordHash: config.passwordHash,
      iterationCount: config.iterationCount,
      keepExisting: options.keepExisting,
    });
    return await launchWithFreePorts(config, options);
  } catch (error) {
    await Deno.remove(runDir, { recursive: true });
    throw error;
  }
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
  base: Omit<ProsodyConfig, "httpPort" | "c2sPort">,
  options: ProsodyOptions,
): Promise<ProsodyInstance> {
  for (let attempt = 1;; attempt++) {
    const [freeHttp, freeC2s] = freeLoopbackPorts(2);
    const config: ProsodyConfig = {
      ...base,
      httpPort: options.httpPort ?? freeHttp,
      c2sPort: options.c2sPort ?? freeC2s,
    };
    await Deno.writeTextFile(configPath(base.runDir), renderConfig(config));
    const instance = new ProsodyInstance(
      config,
      options.startTimeoutMs ?? 10_000,
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
  readonly #runDir: string;
  readonly #startTimeoutMs: number;
  #child: Deno.ChildProcess | undefined;
  #exit: Promise<Deno.CommandOutput> | undefined;
  #exited = true;
  #stopping: Promise<void> | undefined;
  // The log's last lines, kept when stop() removes the run dir.
  #keptLog: string | undefined;
  // Where this launch's part of the (appended) log starts, so a restart
  // never mistakes the previous run's lines for its own.
  #logOffset = 0;

  constructor(
    config: ProsodyConfig,
    startTimeoutMs: number,
  ) {
    this.domain = config.domain;
    this.httpPort = config.httpPort;
    this.c2sPort = config.c2sPort;
    this.boshUrl = `http://127.0.0.1:${config.httpPort}/http-bind`;
    this.wsUrl = `ws://127.0.0.1:${config.httpPort}/xmpp-websocket`;
    this.dataDir = config.dataDir;
    this.configPath = configPath(config.runDir);
    this.logPath = logPath(config.runDir);
    this.#runDir = config.runDir;
    this.#startTimeoutMs = startTimeoutMs;
  }

  async launch(): Promise<void> {
    this.#logOffset = readIfPresent(this.logPath).length;
    // -F: stay in the foreground so we own the process (`daemonize` is deprecated).
    const child = new Deno.Command("prosody", {
      args: ["-F", "--config", this.configPath],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#child = child;
    this.#exited = false;
    // output() drains both pipes and awaits the status, so nothing leaks
    // and a config error printed on stdout is kept for the error message.
    this.#exit = child.output().then((output) => {
      this.#exited = true;
      return output;
    });
    await this.#waitReady();
  }

  async #waitReady(): Promise<void> {
    const deadline = Date.now() + this.#startTimeoutMs;
    const httpUp = `Activated service 'http' on [127.0.0.1]:${this.httpPort}`;
    const c2sUp = `Activated service 'c2s' on [127.0.0.1]:${this.c2sPort}`;
    while (true) {
      if (this.#exited && this.#exit) {
        const output = await this.#exit;
        const decoder = new TextDecoder();
        throw new Error(
          `Prosody exited with code ${output.code} before it was ready.\n` +
            `--- stdout ---\n${decoder.decode(output.stdout)}\n` +
            `--- stderr ---\n${decoder.decode(output.stderr)}\n` +
            `--- prosody log ---\n${this.logTail()}`,
        );
      }
      const log = readIfPresent(this.logPath).slice(this.#logOffset);
      const taken = /Failed to open server port (\d+)/.exec(log);
      if (taken) throw new PortInUseError(Number(taken[1]), this.logTail());
      if (
        log.includes(httpUp) && log.includes(c2sUp) &&
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

  async register(username: string, password: string): Promise<void> {
    const output = await new Deno.Command("prosodyctl", {
      args: [
        "--config",
        this.configPath,
        "register",
        username,
        this.domain,
        password,
      ],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      const decoder = new TextDecoder();
      throw new Error(
        `prosodyctl register ${username}@${this.domain} failed (code ${output.code}): ` +
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
    this.#signal("SIGKILL");
    await this.#exit;
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
    const log = this.#keptLog ?? readIfPresent(this.logPath);
    return log.trimEnd().split("\n").slice(-lines).join("\n");
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; resolves once it exited. */
  async terminate(): Promise<void> {
    if (this.#exited || !this.#exit) return;
    this.#signal("SIGTERM");
    const exited = await withTimeout(this.#exit, STOP_GRACE_MS);
    if (!exited) {
      this.#signal("SIGKILL");
      await this.#exit;
    }
  }

  #signal(signal: Deno.Signal): void {
    if (this.#exited || !this.#child) return;
    try {
      this.#child.kill(signal);
    } catch (error) {
      // The process may exit between the check and the kill; Deno reports
      // that as a TypeError, and the exit promise still settles.
      const gone = error instanceof TypeError &&
        error.message.includes("already terminated");
      if (!gone) throw error;
    }
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

function readIfPresent(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return "";
    throw error;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settled within `ms`; the timer never outlives the call. */
async function withTimeout(
  promise: Promise<unknown>,
  ms: number,
): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
