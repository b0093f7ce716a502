import { createApp } from "./routes/app.ts";
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
  const { port, hostname } = config;
  return Deno.serve({ port, hostname, ...options }, createApp(config).fetch);
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
