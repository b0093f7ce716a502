import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { isHashedFileName, ManifestError } from "./bundle_manifest.ts";
import type { AdminAuth } from "./admin_auth.ts";
import { adminRoutes } from "./admin_routes.ts";
import { adminPageRoutes } from "./admin_page.ts";
import { gadgetRoutes } from "./gadget.ts";
import { healthzRoutes } from "./healthz.ts";
import { cspHeader, notifyingWrites } from "./csp_header.ts";
import {
  CSP_REPORT_GROUP,
  CSP_REPORT_PATH,
  cspReportRoutes,
} from "./csp_report_route.ts";
import {
  CHAT_SERVER_SETTINGS_PATH,
  DIST_URL_PATH,
  STATIC_URL_PATH,
} from "./paths.ts";
import { settingsRoutes } from "./settings_api.ts";
import type { SettingsStore } from "./settings_store.ts";
import { shellPageRoutes } from "./shell_page.ts";
import type { ChatServerSettings } from "../shared/settings/settings_schema.ts";
import {
  IMMUTABLE_CACHE_CONTROL,
  REVALIDATE_CACHE_CONTROL,
  staticFiles,
} from "./static_files.ts";

export interface AppOptions {
  readonly staticDir: string;
  /** Build output served at /static/dist; need not lie inside `staticDir`. */
  readonly distDir: string;
  /** CSP `frame-ancestors` sources; `'self'` when omitted. */
  readonly frameAncestors?: readonly string[];
  /** CSP connect-src origins besides the configured chat servers. */
  readonly cspConnectSrc?: readonly string[];
  /** Where violation reports are logged; `console.warn` when omitted. */
  readonly cspReportLog?: (line: string) => void;
  readonly publicOrigin?: string;
  /** Completes bare usernames at sign-in (DESKTOP_CHAT_XMPP_DOMAIN). */
  readonly xmppDomain?: string;
  /** The chat server settings API and the administrator's login. */
  readonly settings: {
    readonly store: SettingsStore;
    readonly auth: AdminAuth;
    readonly defaults: ChatServerSettings;
  };
}

export interface ErrorBody {
  error: string;
}

export function createApp(options: AppOptions): Hono {
  const csp = cspHeader({
    store: options.settings.store,
    defaults: options.settings.defaults,
    frameAncestors: options.frameAncestors,
    extraConnectSrc: options.cspConnectSrc ?? [],
    reportPath: CSP_REPORT_PATH,
    reportGroup: CSP_REPORT_GROUP,
    publicOrigin: options.publicOrigin,
  });
  // A saved change of chat servers changes the very next response's policy.
  const settings = {
    ...options.settings,
    store: notifyingWrites(options.settings.store, csp.invalidate),
  };
  return new Hono()
    // Every response, errors and static files included, carries the policy.
    .use(csp.middleware)
    .use(secureHeaders({
      // csp_header.ts writes the Content-Security-Policy.
      contentSecurityPolicy: undefined,
      // CSP3 §6.4.2: frame-ancestors supersedes X-Frame-Options; SAMEORIGIN
      // beside a wider list would still block the Finesse host in browsers
      // that read only the older header.
      xFrameOptions: false,
      // Lets a handler choose its own value, as static files do for
      // Cross-Origin-Resource-Policy.
      overwrite: false,
    }))
    // Before anything that guards writes: browsers post reports with the
    // page's Origin, which behind a proxy is not the request's own.
    .route("/", cspReportRoutes({ log: options.cspReportLog }))
    // Every desktop reads the settings, and inside Finesse the chat gadget
    // runs on the Finesse host's origin: reading is open to any origin,
    // without credentials. Writes stay same-origin (no PUT in the preflight).
    .use(
      CHAT_SERVER_SETTINGS_PATH,
      cors({ origin: "*", allowMethods: ["GET"], exposeHeaders: ["ETag"] }),
    )
    .route("/", healthzRoutes())
    .route("/", adminRoutes(options.settings.auth))
    .route("/", settingsRoutes(settings))
    .route("/", shellPageRoutes(options))
    .route("/", adminPageRoutes(options))
    .route(
      "/",
      gadgetRoutes({ ...options, hosts: options.settings.auth.hosts }),
    )
    .get(
      `${DIST_URL_PATH}/*`,
      staticFiles({
        root: options.distDir,
        urlPath: DIST_URL_PATH,
        precompressed: true,
        cacheControl: (path) =>
          isHashedFileName(path)
            ? IMMUTABLE_CACHE_CONTROL
            : REVALIDATE_CACHE_CONTROL,
      }),
    )
    .get(
      `${STATIC_URL_PATH}/*`,
      staticFiles({
        root: options.staticDir,
        urlPath: STATIC_URL_PATH,
        cacheControl: () => REVALIDATE_CACHE_CONTROL,
        // dist/ comes only from distDir; gadgets/ holds templates that
        // gadgetRoutes serves filled in.
        hidden: ["dist/", "gadgets/"],
      }),
    )
    .notFound((c) => c.json<ErrorBody>({ error: "not found" }, 404))
    .onError((error, c) => {
      if (error instanceof HTTPException) return error.getResponse();
      console.error(`${c.req.method} ${c.req.path} failed:`, error);
      if (error instanceof ManifestError) {
        return c.json<ErrorBody>(
          { error: "the chat bundles are not built" },
          503,
        );
      }
      return c.json<ErrorBody>({ error: "internal server error" }, 500);
    });
}
