// The service under the service bench, in a process of its own so the load
// the bench generates does not share its event loop: main.ts's start() on a
// free loopback port, serving only the API (no bundles are built), with its
// own KV file in a temporary directory and a known administrator whose
// password hash has the production iteration count, so a wrong password
// that gets past the throttle costs what it costs in production.
//
// Protocol with the parent (service_launch.ts): one JSON line on stdout,
// `{"port": <n>}`, once listening; the parent closing stdin means stop. The
// service then finishes and the temporary directory goes, also when the
// parent died without a word (its end of the pipe closes with it).
import { join } from "node:path";
import { start } from "../../main.ts";
import { type Config, loadConfig } from "../../routes/config.ts";
import {
  DEFAULT_ITERATIONS,
  hashPassword,
  parsePasswordHash,
} from "../../routes/password_hash.ts";

export const BENCH_ADMIN_USERNAME = "admin";
export const BENCH_ADMIN_PASSWORD = "service-bench admin password";

/** The first line the process writes to stdout. */
export interface ServiceListening {
  readonly port: number;
}

async function serveUntilStdinCloses(dir: string): Promise<void> {
  const hash = await hashPassword(BENCH_ADMIN_PASSWORD, {
    iterations: DEFAULT_ITERATIONS,
  });
  // An explicit environment: the machine's DESKTOP_CHAT_* settings must not
  // change what is measured.
  const base = loadConfig(
    { PORT: "0", DESKTOP_CHAT_HOSTNAME: "127.0.0.1" },
    ["--no-build"],
  );
  const config: Config = {
    ...base,
    distDir: join(dir, "dist"),
    kvPath: join(dir, "desktop-chat.kv"),
    admin: {
      ...base.admin,
      username: BENCH_ADMIN_USERNAME,
      passwordHash: parsePasswordHash(hash),
    },
  };
  const ac = new AbortController();
  const server = await start(config, {
    signal: ac.signal,
    onListen: ({ port }) => {
      const line: ServiceListening = { port };
      console.log(JSON.stringify(line));
    },
  });
  // Reading to the end is how the parent's "stop" (or its death) arrives.
  for await (const _chunk of Deno.stdin.readable) {
    // The parent sends nothing; any bytes are ignored.
  }
  ac.abort();
  // start() closes the KV store once the server has finished.
  await server.finished;
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "desktop_chat_service_bench_" });
  try {
    await serveUntilStdinCloses(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
