import { join } from "node:path";
import { defaultSettings } from "./shared/settings/settings_schema.ts";
import { createAdminAuth } from "./routes/admin_auth.ts";
import { createApp } from "./routes/app.ts";
import { openSettingsStore } from "./routes/settings_store.ts";
import { manifestExists } from "./routes/bundle_manifest.ts";
import {
  adminAuthConfigOf,
  type Config,
  ConfigError,
  loadConfig,
} from "./routes/config.ts";
import { decodePeer, PEER_HEADER } from "./routes/front/client_address.ts";
import { startFront } from "./routes/front/tcp_front.ts";

export interface StartOptions {
  signal?: AbortSignal;
  /** Called with the public (TCP) address once listening. */
  onListen?: (address: Deno.NetAddr) => void;
  /** Where the service limits log their one-line notices; console.error by default. */
  log?: (line: string) => void;
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * Builds the bundles if `config.build` asks for it, then serves the app
 * behind the TCP front (routes/front/): the front enforces the service
 * limits and relays each client connection to an internal `Deno.serve` on
 * a unix socket in a private directory. The returned server's `addr` is the
 * public address; aborting `signal` or `shutdown()` stops both, and
 * `finished` resolves once both are done and the KV store is closed.
 */
export async function start(
  config: Config,
  options: StartOptions = {},
): Promise<Deno.HttpServer<Deno.NetAddr>> {
  if (
    config.build === "always" ||
    (config.build === "auto" && !(await manifestExists(config.distDir)))
  ) {
    // Imported only here so a server started with --no-build never loads esbuild.
    const { buildBundles } = await import("./scripts/build.ts");
    await buildBundles({ outDir: config.distDir });
  }
  const store = await openSettingsStore(config.kvPath);
  const auth = await createAdminAuth({
    config: adminAuthConfigOf(config),
    devCredentials: store,
  });
  const defaults = { ...defaultSettings(), primary: config.defaultPrimary };
  const app = createApp({ ...config, settings: { store, auth, defaults } });
  const log = options.log ?? ((line: string) => console.error(line));
  // Only this process can reach the socket: mkdtemp makes the directory
  // 0700; the chmod says so even under an unusual umask handling.
  const socketDir = await Deno.makeTempDir({ prefix: "desktop_chat_socket_" });
  await Deno.chmod(socketDir, 0o700);
  const path = join(socketDir, "http.sock");
  const backend = Deno.serve(
    { path, onListen: () => {} },
    (request) => forwarded(request, app.fetch),
  );
  let front;
  try {
    front = startFront({
      hostname: config.hostname,
      port: config.port,
      limits: config.limits,
      connectBackend: () => Deno.connect({ transport: "unix", path }),
      log,
    });
  } catch (error) {
    await backend.shutdown();
    store.close();
    await Deno.remove(socketDir, { recursive: true });
    throw error;
  }
  const stop = () => front.stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();
  const finished = (async () => {
    await front.finished;
    await backend.shutdown();
    await backend.finished;
    store.close();
    await Deno.remove(socketDir, { recursive: true });
  })();
  const { addr } = front;
  if (options.onListen) options.onListen(addr);
  else console.log(`Listening on http://${addr.hostname}:${addr.port}/`);
  return {
    addr,
    finished,
    ref: () => front.ref(),
    unref: () => front.unref(),
    async shutdown() {
      stop();
      await finished;
    },
    async [Symbol.asyncDispose]() {
      stop();
      await finished;
    },
  };
}

/**
 * The internal server's handler: the app sees the client's address as the
 * connection's (admin_auth.ts reads `remoteAddr`), taken from the header
 * only the front sets, and the public http: URL instead of http+unix:.
 */
function forwarded(
  request: Request,
  fetch: Fetch,
): Response | Promise<Response> {
  const peer = decodePeer(request.headers.get(PEER_HEADER));
  if (!peer) {
    // Unreachable through the front, which always sets it.
    return new Response("missing peer address\n", { status: 500 });
  }
  const headers = new Headers(request.headers);
  headers.delete(PEER_HEADER);
  const url = request.url.replace(/^http\+unix:/, "http:");
  const relayed = new Request(url, {
    method: request.method,
    headers,
    body: request.body,
  });
  return fetch(relayed, {
    remoteAddr: { transport: "tcp", hostname: peer.hostname, port: peer.port },
  });
}

if (import.meta.main) {
  try {
    await start(loadConfig(Deno.env.toObject(), Deno.args));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`Desktop Chat: bad configuration: ${error.message}`);
    Deno.exit(2);
  }
}
