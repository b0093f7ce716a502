import { defaultSettings } from "./shared/settings/settings_schema.ts";
import { createAdminAuth } from "./routes/admin_auth.ts";
import { createApp } from "./routes/app.ts";
import { openSettingsStore } from "./routes/settings_store.ts";
import { manifestExists } from "./routes/bundle_manifest.ts";
import { type Config, ConfigError, loadConfig } from "./routes/config.ts";

export interface StartOptions {
  signal?: AbortSignal;
  onListen?: (address: Deno.NetAddr) => void;
}

/** Builds the bundles if `config.build` asks for it, then serves the app. */
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
    config: {
      ...config.admin,
      allowedOrigins: [
        ...config.admin.allowedOrigins,
        ...(config.publicOrigin ? [config.publicOrigin] : []),
      ],
    },
    devCredentials: store,
  });
  const defaults = { ...defaultSettings(), primary: config.defaultPrimary };
  const app = createApp({ ...config, settings: { store, auth, defaults } });
  const { port, hostname } = config;
  // app.fetch, not a wrapper: the login throttle reads the peer address
  // from the connection info Deno passes as the second argument.
  const server = Deno.serve({ port, hostname, ...options }, app.fetch);
  server.finished.then(() => store.close());
  return server;
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
