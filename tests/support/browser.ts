// Browser-test support: Debian's Chromium through playwright-core, and the
// real service (main.ts's start()) on a free port with a known administrator.
// Launch one browser per test file and close it in the same test: the
// sanitizers accept nothing else (reference/stack-notes.md).
import { type Browser, chromium, type Page } from "playwright-core";
import { join } from "node:path";
import { start } from "../../main.ts";
import { type Config, loadConfig } from "../../routes/config.ts";
import {
  hashPassword,
  MIN_ITERATIONS,
  parsePasswordHash,
} from "../../routes/password_hash.ts";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** `extraArgs`: switches one test needs, such as `--short-reporting-delay`. */
export function launchBrowser(
  extraArgs: readonly string[] = [],
): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export const ADMIN_USERNAME = "admin";
export const ADMIN_PASSWORD = "browser-test admin password";

export interface StartServiceOptions {
  readonly username?: string;
  readonly password?: string;
  /** Any other configuration, such as `frameAncestors` or `defaultPrimary`. */
  readonly config?: Partial<Omit<Config, "port" | "hostname">>;
}

export interface RunningService {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly origin: string;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

/**
 * Starts the real service on a free loopback port with its own KV file and
 * freshly built bundles, so a test always runs the current islands and never
 * touches `static/dist` or `.data`.
 */
export async function startService(
  options: StartServiceOptions = {},
): Promise<RunningService> {
  const username = options.username ?? ADMIN_USERNAME;
  const password = options.password ?? ADMIN_PASSWORD;
  const dir = await Deno.makeTempDir({ prefix: "desktop_chat_service_" });
  // The lowest count the service accepts keeps sign-in fast in tests.
  const hash = await hashPassword(password, { iterations: MIN_ITERATIONS });
  const base = loadConfig({
    PORT: "0",
    DESKTOP_CHAT_HOSTNAME: "127.0.0.1",
    // Production answers only for configured hosts (host_policy.ts): the
    // admin page's writes come from this origin.
    DESKTOP_CHAT_ALLOWED_HOSTS: "127.0.0.1",
  });
  const config: Config = {
    ...base,
    build: "always",
    distDir: join(dir, "dist"),
    kvPath: join(dir, "desktop-chat.kv"),
    ...options.config,
    admin: {
      ...base.admin,
      username,
      passwordHash: parsePasswordHash(hash),
      ...options.config?.admin,
    },
  };
  const ac = new AbortController();
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = await start(config, { signal: ac.signal, onListen: () => {} });
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${server.addr.port}`,
    username,
    password,
    async stop() {
      ac.abort();
      // start() closes the KV store once the server has finished.
      await server.finished;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * Saves a full-page screenshot as `<name>.png` when `BROWSER_SCREENSHOT_DIR`
 * is set, for a person to look at; tests never compare pixels.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = Deno.env.get("BROWSER_SCREENSHOT_DIR");
  if (!dir) return;
  await Deno.mkdir(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}
