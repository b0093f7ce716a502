// A private ejabberd 23.01 node for integration tests: loopback ports picked
// for this run, its own config, spool, logs, cookie and HOME in a temp dir,
// never the system service (reference/ejabberd-notes.md). The node runs in
// the foreground as our child and its distribution port is fixed, so no
// epmd is started and stop() leaves no process behind. Start-up takes about
// 1.5 s: start one node per test file.

import type {
  ProsodyUser,
  RosterItem,
  RosterSeed,
  Vcard,
} from "../../scripts/servers/prosody.ts";
import { freeLoopbackPort } from "../../scripts/servers/prosody.ts";
import {
  lastLines,
  readIfPresent,
  ServerProcess,
} from "../../scripts/servers/server_process.ts";
import { EjabberdApi } from "./ejabberd_api.ts";
import {
  ctlArgs,
  type EjabberdConfig,
  paths,
  renderConfig,
  uploadJid,
  writeRunFiles,
} from "./ejabberd_config.ts";

export { EjabberdCommandError } from "./ejabberd_api.ts";

export interface EjabberdOptions {
  /** Registered through mod_http_api before start() returns. */
  readonly users?: readonly ProsodyUser[];
  /** One-sided roster items, as an administrator would add them. */
  readonly roster?: RosterSeed;
  readonly vcards?: Readonly<Record<string, Vcard>>;
  /** c2s_shaper; default "none" (notes: the default 3,000 B/s stalls bursts). */
  readonly shaper?: "none" | "normal";
  /** XEP-0055 search at vjud.<domain>; default true. */
  readonly search?: boolean;
  /** XEP-0313 archive (mod_mam, default: always); default false. */
  readonly mam?: boolean;
  /** mod_bosh max_inactivity in seconds; ejabberd's default is 30. */
  readonly inactivity?: number;
  readonly logLevel?: EjabberdConfig["logLevel"];
  /** Bound on the wait for the node to answer; default 30 s. */
  readonly startTimeoutMs?: number;
  /** Also BOSH/WebSocket over TLS, with a certificate no client trusts. */
  readonly https?: boolean;
  /** XEP-0363 upload at upload.<domain> (mod_http_upload); default true. */
  readonly upload?: boolean;
  /** mod_http_upload max_size; default EJABBERD_UPLOAD_MAX_BYTES. */
  readonly uploadMaxBytes?: number;
}

/** mod_http_upload's own default max_size (100 MiB). */
export const EJABBERD_UPLOAD_MAX_BYTES = 100 * 1024 * 1024;

export interface EjabberdServer extends AsyncDisposable {
  readonly domain: string;
  readonly httpPort: number;
  /** `http://127.0.0.1:<httpPort>/http-bind` */
  readonly boshUrl: string;
  /** `ws://127.0.0.1:<httpPort>/xmpp-websocket` */
  readonly wsUrl: string;
  /** With `https: true`: the same endpoints as https:// and wss://. */
  readonly httpsBoshUrl?: string;
  readonly wssUrl?: string;
  /** The XEP-0055 service: `vjud.<domain>`. */
  readonly searchJid: string;
  /**
   * The XEP-0363 service, `upload.<domain>`; undefined with `upload: false`.
   * Its slots' PUT and GET URLs are `http://127.0.0.1:<httpPort>/upload/…`.
   */
  readonly uploadJid?: string;
  readonly configPath: string;
  readonly logPath: string;
  /** A mod_http_api command, e.g. `command("get_roster", {user, host})`. */
  command(name: string, args: Record<string, unknown>): Promise<unknown>;
  register(username: string, password: string): Promise<void>;
  addRosterItem(owner: string, item: RosterItem): Promise<void>;
  /** Stores the vCard; mod_vcard indexes it for search at once. */
  setVcard(username: string, vcard: Vcard): Promise<void>;
  /** Turns the directory on or off in the running node (reload_config). */
  setSearch(enabled: boolean): Promise<void>;
  /** SIGTERM, bounded wait, then SIGKILL; removes the temp dir. Idempotent. */
  stop(): Promise<void>;
  /** SIGKILL now, as a crash would; the spool stays for restart(). */
  kill(): Promise<void>;
  /** Starts again on the same ports and spool (stops a running node first). */
  restart(): Promise<void>;
  /** The last lines of the node's log, still available after stop(). */
  logTail(lines?: number): string;
}

const DOMAIN = "localhost";
const STOP_GRACE_MS = 10_000;
const POLL_MS = 50;
const START_ATTEMPTS = 3;

export async function startEjabberd(
  options: EjabberdOptions = {},
): Promise<EjabberdServer> {
  for (let attempt = 1;; attempt++) {
    const runDir = await Deno.makeTempDir({ prefix: "ejabberd-" });
    const config: EjabberdConfig = {
      domain: DOMAIN,
      nodeName: "harness",
      cookie: crypto.randomUUID().replaceAll("-", ""),
      httpPort: freeLoopbackPort(),
      httpsPort: options.https ? freeLoopbackPort() : undefined,
      distPort: freeLoopbackPort(),
      runDir,
      shaper: options.shaper ?? "none",
      search: options.search ?? true,
      mam: options.mam ?? false,
      inactivity: options.inactivity ?? 30,
      logLevel: options.logLevel ?? "info",
      upload: options.upload === false ? undefined : {
        maxBytes: options.uploadMaxBytes ?? EJABBERD_UPLOAD_MAX_BYTES,
      },
    };
    const node = new EjabberdNode(config, options.startTimeoutMs ?? 30_000);
    try {
      await writeRunFiles(config);
      await node.launch();
      await node.seed(options);
      return node;
    } catch (error) {
      await node.stop();
      // A port picked above can be taken by another process before the
      // node binds it; the node then exits, and new ports are picked.
      const raced = error instanceof NodeExitedError &&
        /eaddrinuse/i.test(error.message);
      if (!raced || attempt === START_ATTEMPTS) throw error;
    }
  }
}

class NodeExitedError extends Error {
  constructor(report: string) {
    super(`ejabberd exited before it was ready: ${report}`);
    this.name = "NodeExitedError";
  }
}

class EjabberdNode implements EjabberdServer {
  readonly domain: string;
  readonly httpPort: number;
  readonly boshUrl: string;
  readonly wsUrl: string;
  readonly httpsBoshUrl?: string;
  readonly wssUrl?: string;
  readonly searchJid: string;
  readonly uploadJid: string | undefined;
  readonly configPath: string;
  readonly logPath: string;
  readonly #api: EjabberdApi;
  #config: EjabberdConfig;
  readonly #startTimeoutMs: number;
  #process: ServerProcess | undefined;
  #stopping: Promise<void> | undefined;
  #keptLog: string | undefined;

  constructor(config: EjabberdConfig, startTimeoutMs: number) {
    this.#config = config;
    this.#startTimeoutMs = startTimeoutMs;
    this.domain = config.domain;
    this.httpPort = config.httpPort;
    const origin = `127.0.0.1:${config.httpPort}`;
    this.boshUrl = `http://${origin}/http-bind`;
    this.wsUrl = `ws://${origin}/xmpp-websocket`;
    if (config.httpsPort !== undefined) {
      const secure = `127.0.0.1:${config.httpsPort}`;
      this.httpsBoshUrl = `https://${secure}/http-bind`;
      this.wssUrl = `wss://${secure}/xmpp-websocket`;
    }
    this.#api = new EjabberdApi(`http://${origin}/api`, config.domain);
    this.searchJid = `vjud.${config.domain}`;
    this.uploadJid = config.upload && uploadJid(config.domain);
    this.configPath = paths(config.runDir).config;
    this.logPath = paths(config.runDir).log;
  }

  async launch(): Promise<void> {
    const process = new ServerProcess(paths(this.#config.runDir).ctl, {
      args: [...ctlArgs(this.#config.runDir), "foreground"],
      // The Erlang cookie file and .erlang are looked up under HOME.
      env: { HOME: this.#config.runDir },
    });
    this.#process = process;
    await this.#waitReady(process);
  }

  async #waitReady(process: ServerProcess): Promise<void> {
    const deadline = Date.now() + this.#startTimeoutMs;
    while (true) {
      if (process.exited) {
        throw new NodeExitedError(await process.report());
      }
      if (await this.#api.running()) return;
      if (Date.now() > deadline) {
        throw new Error(
          `ejabberd did not answer ${this.#api.url}/status within ${this.#startTimeoutMs} ms.\n--- log ---\n${this.logTail()}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  command(name: string, args: Record<string, unknown>): Promise<unknown> {
    return this.#api.command(name, args);
  }

  seed(options: EjabberdOptions): Promise<void> {
    return this.#api.seed(options);
  }

  register(username: string, password: string): Promise<void> {
    return this.#api.register(username, password);
  }

  addRosterItem(owner: string, item: RosterItem): Promise<void> {
    return this.#api.addRosterItem(owner, item);
  }

  setVcard(username: string, vcard: Vcard): Promise<void> {
    return this.#api.setVcard(username, vcard);
  }

  async setSearch(enabled: boolean): Promise<void> {
    this.#config = { ...this.#config, search: enabled };
    await Deno.writeTextFile(this.configPath, renderConfig(this.#config));
    await this.command("reload_config", {});
  }

  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#terminate();
      this.#keptLog = this.logTail(200);
      await Deno.remove(this.#config.runDir, { recursive: true });
    })();
    return this.#stopping;
  }

  async kill(): Promise<void> {
    await this.#process?.kill();
  }

  /**
   * Observed on 23.01: after a SIGKILL, Mnesia comes back without the last
   * transaction of the node's first run (e.g. the last account seeded), so
   * what the harness wrote is written again: the same users are served.
   */
  async restart(): Promise<void> {
    if (this.#stopping) {
      throw new Error("ejabberd was stopped; start a new one");
    }
    await this.#terminate();
    await this.launch();
    await this.#api.replay();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  logTail(lines = 40): string {
    return lastLines(this.#keptLog ?? readIfPresent(this.logPath), lines);
  }

  /** The Erlang VM stops gracefully on SIGTERM (init:stop/0) in 1–3 s. */
  async #terminate(): Promise<void> {
    await this.#process?.terminate(STOP_GRACE_MS);
  }
}
