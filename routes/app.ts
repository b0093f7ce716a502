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
  return new Hono()
    .use(secureHeaders({
      contentSecurityPolicy: {
        frameAncestors: [...(options.frameAncestors ?? ["'self'"])],
      },
      // CSP3 §6.4.2: frame-ancestors supersedes X-Frame-Options; SAMEORIGIN
      // beside a wider list would still block the Finesse host in browsers
      // that read only the older header.
      xFrameOptions: false,
      // Lets a handler choose its own value, as static files do for
      // Cross-Origin-Resource-Policy.
      overwrite: false,
    }))
    // Every desktop reads the settings, and inside Finesse the chat gadget
    // runs on the Finesse host's origin: reading is open to any origin,
    // without credentials. Writes stay same-origin (no PUT in the preflight).
    .use(
      CHAT_SERVER_SETTINGS_PATH,
      cors({ origin: "*", allowMethods: ["GET"], exposeHeaders: ["ETag"] }),
    )
    .route("/", healthzRoutes())
    .route("/", adminRoutes(options.settings.auth))
    .route("/", settingsRoutes(options.settings))
    .route("/", shellPageRoutes(options))
    .route("/", adminPageRoutes(options))
    .route("/", gadgetRoutes(options))
    .get(
      `${DIST_URL_PATH}/*`,
      staticFiles({
        root: options.distDir,
        urlPath: DIST_URL_PATH,
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
