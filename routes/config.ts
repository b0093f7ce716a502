import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkServerUrl } from "../shared/settings/settings_schema.ts";
import { serverUrlMessage } from "../shared/settings/settings_messages.ts";
import { ParseError } from "../shared/xmpp/core/errors.ts";
import { parseJid } from "../shared/xmpp/core/jid_parse.ts";
import {
  type AdminAuthConfig,
  AdminAuthConfigError,
  loadAdminAuthConfig,
} from "./admin_auth_config.ts";
import { parsePublicOrigin } from "./host_policy.ts";
import { settingsStorePath } from "./settings_store.ts";
import {
  loadServiceLimits,
  type ServiceLimits,
} from "./front/service_limits.ts";
import { parseCspConnectSrc } from "./csp_config.ts";

/** When `main.ts` bundles the islands before serving. */
export type BuildMode = "auto" | "always" | "never";

export interface Config {
  readonly port: number;
  readonly hostname: string;
  /** CSP `frame-ancestors` sources: who may embed our pages (the Finesse host). */
  readonly frameAncestors: readonly string[];
  /**
   * Origin written into the gadget XML; when undefined, the request's own
   * origin if its Host is allowed (`admin.allowedHosts`), else 421.
   */
  readonly publicOrigin: string | undefined;
  readonly build: BuildMode;
  readonly staticDir: string;
  readonly distDir: string;
  /** Deno KV file holding the administrator's chat server settings. */
  readonly kvPath: string;
  readonly admin: AdminAuthConfig;
  /** Primary chat server served until an administrator saves settings. */
  readonly defaultPrimary: string;
  /**
   * The XMPP domain that completes a bare username at sign-in; when
   * undefined the element uses the primary chat server's host name.
   */
  readonly xmppDomain: string | undefined;
  /** Timeouts and connection bounds of the TCP front (routes/front/service_limits.ts). */
  readonly limits: ServiceLimits;
  /** CSP connect-src origins besides the chat servers in the settings (DESKTOP_CHAT_CSP_CONNECT_SRC). */
  readonly cspConnectSrc: readonly string[];
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = "ConfigError";
  }
}

const DEFAULT_STATIC_DIR = fileURLToPath(new URL("../static", import.meta.url));
const BUILD_MODES: readonly BuildMode[] = ["auto", "always", "never"];
const BUILD_FLAGS: Readonly<Record<string, BuildMode>> = {
  "--build": "always",
  "--no-build": "never",
};

/**
 * Reads `PORT`, `DESKTOP_CHAT_HOSTNAME`, `DESKTOP_CHAT_FRAME_ANCESTORS`,
 * `DESKTOP_CHAT_PUBLIC_ORIGIN`, `DESKTOP_CHAT_XMPP_DOMAIN` and
 * `DESKTOP_CHAT_BUILD` (overridden by the
 * `--build` / `--no-build` flags). Throws {@link ConfigError} on bad values.
 */
export function loadConfig(env: Env, args: readonly string[] = []): Config {
  return {
    port: parsePort(env.PORT),
    hostname: parseHostname(env.DESKTOP_CHAT_HOSTNAME),
    frameAncestors: parseFrameAncestors(env.DESKTOP_CHAT_FRAME_ANCESTORS),
    publicOrigin: publicOrigin(env.DESKTOP_CHAT_PUBLIC_ORIGIN),
    build: parseBuildMode(env.DESKTOP_CHAT_BUILD, args),
    staticDir: DEFAULT_STATIC_DIR,
    distDir: join(DEFAULT_STATIC_DIR, "dist"),
    kvPath: settingsStorePath(env),
    admin: adminConfig(env),
    defaultPrimary: parseDefaultPrimary(env.DESKTOP_CHAT_DEFAULT_PRIMARY),
    xmppDomain: parseXmppDomain(env.DESKTOP_CHAT_XMPP_DOMAIN),
    limits: loadServiceLimits(env),
    cspConnectSrc: parseCspConnectSrc(env.DESKTOP_CHAT_CSP_CONNECT_SRC),
  };
}

/**
 * The administrator's settings as the service uses them: the public origin,
 * the one browsers reach the service at, may always send admin writes.
 */
export function adminAuthConfigOf(config: Config): AdminAuthConfig {
  return {
    ...config.admin,
    allowedOrigins: [
      ...config.admin.allowedOrigins,
      ...(config.publicOrigin ? [config.publicOrigin] : []),
    ],
  };
}

function adminConfig(env: Env): AdminAuthConfig {
  return asConfigError(() => loadAdminAuthConfig(env));
}

/** The admin settings' parsers throw AdminAuthConfigError; loadConfig's callers expect ConfigError. */
function asConfigError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof AdminAuthConfigError)) throw error;
    throw new ConfigError(error.setting, error.detail);
  }
}

function parseXmppDomain(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const jid = parseJid(value.trim());
  if (jid instanceof ParseError || jid.local || jid.resource) {
    throw new ConfigError(
      "DESKTOP_CHAT_XMPP_DOMAIN",
      `"${value}" is not an XMPP domain such as example.com.`,
    );
  }
  return jid.domain;
}

function parseDefaultPrimary(value: string | undefined): string {
  if (value === undefined || value.trim() === "") return "";
  const checked = checkServerUrl(value);
  if (!checked.ok) {
    throw new ConfigError(
      "DESKTOP_CHAT_DEFAULT_PRIMARY",
      serverUrlMessage(checked),
    );
  }
  return checked.href;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return 8000;
  const port = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(port <= 65535)) {
    throw new ConfigError(
      "PORT",
      `expected an integer from 0 to 65535, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

function parseHostname(value: string | undefined): string {
  if (value === undefined || value === "") return "0.0.0.0";
  if (/\s/.test(value)) {
    throw new ConfigError(
      "DESKTOP_CHAT_HOSTNAME",
      `expected a host name or IP address, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

// CSP Level 3 §2.3.1 source grammar, limited to what frame-ancestors accepts
// (§6.4.2: no 'unsafe-*', nonces or hashes).
const SCHEME_SOURCE = /^[a-z][a-z0-9+.-]*:$/i;
const HOST_SOURCE =
  /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:\*|(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(?:\d{1,5}|\*))?(?:\/[^\s;,']*)?$/i;

function parseFrameAncestors(value: string | undefined): string[] {
  const setting = "DESKTOP_CHAT_FRAME_ANCESTORS";
  if (value === undefined) return ["'self'"];
  // Spaces separate CSP sources; commas are accepted too because lists in
  // environment variables are often written that way.
  const sources = value.split(/[\s,]+/).filter((source) => source !== "");
  if (sources.length === 0) {
    throw new ConfigError(
      setting,
      "is empty; use 'none' to forbid framing, or list the Finesse origins",
    );
  }
  for (const source of sources) {
    const keyword = source.toLowerCase();
    if (keyword === "self" || keyword === "none") {
      throw new ConfigError(setting, `write '${keyword}' with single quotes`);
    }
    if (keyword === "'none'" && sources.length > 1) {
      throw new ConfigError(
        setting,
        "'none' cannot be combined with other sources",
      );
    }
    if (
      keyword !== "'self'" && keyword !== "'none'" &&
      !SCHEME_SOURCE.test(source) && !HOST_SOURCE.test(source)
    ) {
      throw new ConfigError(
        setting,
        `${
          JSON.stringify(source)
        } is not a frame-ancestors source; expected 'self', 'none', ` +
          "a scheme such as https: or an origin such as https://finesse.example.com:8445",
      );
    }
  }
  return sources;
}

function publicOrigin(value: string | undefined): string | undefined {
  return asConfigError(() => parsePublicOrigin(value));
}

function parseBuildMode(
  value: string | undefined,
  args: readonly string[],
): BuildMode {
  let mode: BuildMode = "auto";
  if (value !== undefined && value !== "") {
    const candidate = BUILD_MODES.find((known) => known === value);
    if (!candidate) {
      throw new ConfigError(
        "DESKTOP_CHAT_BUILD",
        `expected one of ${BUILD_MODES.join(", ")}, got ${
          JSON.stringify(value)
        }`,
      );
    }
    mode = candidate;
  }
  for (const arg of args) {
    const flagged = Object.hasOwn(BUILD_FLAGS, arg)
      ? BUILD_FLAGS[arg]
      : undefined;
    if (!flagged) {
      throw new ConfigError(
        "arguments",
        `unknown argument ${
          JSON.stringify(arg)
        }; expected --build or --no-build`,
      );
    }
    mode = flagged;
  }
  return mode;
}
