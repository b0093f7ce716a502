import * as esbuild from "esbuild";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BuildManifest,
  isHashedFileName,
  MANIFEST_FILE_NAME,
} from "../routes/bundle_manifest.ts";
import { PRECOMPRESSED } from "../routes/content_coding.ts";
import { contentKey, encodeCached, isCompressible } from "./precompress.ts";

export interface BundleEntry {
  /** Logical name without extension; the manifest key is `${name}.js`. */
  readonly name: string;
  /** Entry module, relative to the project root. */
  readonly path: string;
}

export const ENTRIES: readonly BundleEntry[] = [
  { name: "desktop-chat", path: "islands/desktop_chat_element.tsx" },
  {
    name: "desktop-chat-settings",
    path: "islands/desktop_chat_settings_element.tsx",
  },
];

export const PROJECT_ROOT: string = fileURLToPath(
  new URL("..", import.meta.url),
);
export const DEFAULT_OUT_DIR: string = join(PROJECT_ROOT, "static", "dist");

/**
 * Style modules (`*_css.ts`) hold their CSS in template literals, which the
 * JavaScript minifier leaves as written; this minifies each one as CSS, so
 * the shadow-root sheets ship without comments and indentation.
 */
export function minifyCssModules(): esbuild.Plugin {
  return {
    name: "minify-css-modules",
    setup(build) {
      build.onLoad({ filter: /_css\.ts$/ }, async (args) => {
        const source = await Deno.readTextFile(args.path);
        // A `${…}` would make its literal skip minifying (and ship its
        // comments and indentation) without a word: refuse it instead.
        if (source.includes("${")) {
          return {
            errors: [{
              text:
                "A style module must hold plain CSS literals; list the other sheet in element_css.ts instead of interpolating it.",
            }],
          };
        }
        let contents = "";
        let rest = source;
        for (const match of source.matchAll(/`([^`$]*)`/g)) {
          const { code } = await esbuild.transform(match[1], {
            loader: "css",
            minify: true,
          });
          const at = rest.indexOf(match[0]);
          contents += rest.slice(0, at) + JSON.stringify(code.trim());
          rest = rest.slice(at + match[0].length);
        }
        return { contents: contents + rest, loader: "ts" };
      });
    },
  };
}

/**
 * Modules bundled in place of an npm package. npm "events" (Node's whole
 * EventEmitter API, 6 KB minified) is what xmpp.js and ltx extend; the
 * element needs only the part of it they call (shared/xmpp/core/event_emitter.ts).
 */
export const BROWSER_ALIASES: Readonly<Record<string, string>> = {
  events: "./shared/xmpp/core/event_emitter.ts",
};

export interface BuildOptions {
  outDir?: string;
  minify?: boolean;
  /** Where encoded copies are kept between builds (precompress.ts). */
  cacheDir?: string;
}

export const DEFAULT_CACHE_DIR: string = join(
  PROJECT_ROOT,
  "node_modules",
  ".cache",
  "desktop-chat-precompressed",
);

/** Bundles every entry of {@link ENTRIES} into `outDir`, writes its manifest and removes stale hashed files. */
export async function buildBundles(
  options: BuildOptions = {},
): Promise<BuildManifest> {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT_DIR);
  const cacheDir = options.cacheDir ?? DEFAULT_CACHE_DIR;
  try {
    const result = await esbuild.build({
      absWorkingDir: PROJECT_ROOT,
      entryPoints: ENTRIES.map((entry) => ({
        in: entry.path,
        out: entry.name,
      })),
      entryNames: "[name]-[hash]",
      outdir: outDir,
      bundle: true,
      minify: options.minify ?? true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      jsx: "automatic",
      jsxImportSource: "preact",
      metafile: true,
      write: false,
      alias: BROWSER_ALIASES,
      plugins: [minifyCssModules()],
    });
    await Deno.mkdir(outDir, { recursive: true });
    const manifest: Record<string, string> = {};
    const written = new Set<string>();
    for (const file of result.outputFiles) {
      await Deno.writeFile(file.path, file.contents);
      written.add(basename(file.path));
      if (isCompressible(file.path)) {
        const key = await contentKey(file.contents);
        for (const copy of PRECOMPRESSED) {
          await Deno.writeFile(
            file.path + copy.suffix,
            await encodeCached(cacheDir, key, copy, file.contents),
          );
          written.add(basename(file.path) + copy.suffix);
        }
      }
      const entryPoint = result.metafile
        .outputs[relative(PROJECT_ROOT, file.path)]?.entryPoint;
      const entry = ENTRIES.find((candidate) => candidate.path === entryPoint);
      if (entry) manifest[`${entry.name}.js`] = basename(file.path);
    }
    await writeManifest(outDir, manifest);
    await removeStaleFiles(outDir, written);
    return manifest;
  } finally {
    await esbuild.stop();
  }
}

// Written beside and renamed so a running server never reads half a manifest.
async function writeManifest(
  outDir: string,
  manifest: BuildManifest,
): Promise<void> {
  const temporary = join(
    outDir,
    `.${MANIFEST_FILE_NAME}.${crypto.randomUUID()}`,
  );
  await Deno.writeTextFile(temporary, JSON.stringify(manifest, null, 2) + "\n");
  await Deno.rename(temporary, join(outDir, MANIFEST_FILE_NAME));
}

async function removeStaleFiles(
  outDir: string,
  keep: ReadonlySet<string>,
): Promise<void> {
  for await (const item of Deno.readDir(outDir)) {
    // A bundle's encoded copies (`x-HASH.js.br`) go with it.
    const bundle = PRECOMPRESSED.reduce(
      (name, { suffix }) =>
        name.endsWith(suffix) ? name.slice(0, -suffix.length) : name,
      item.name,
    );
    if (item.isFile && isHashedFileName(bundle) && !keep.has(item.name)) {
      await Deno.remove(join(outDir, item.name));
    }
  }
}

export interface BundleSize {
  logicalName: string;
  fileName: string;
  bytes: number;
  /** The `.gz` copy the service sends a client that takes gzip only. */
  gzipBytes: number;
  /** The `.br` copy the service sends a client that takes Brotli. */
  brotliBytes: number;
}

export async function bundleSizes(
  outDir: string,
  manifest: BuildManifest,
): Promise<BundleSize[]> {
  const sizeOf = async (name: string) =>
    (await Deno.stat(join(outDir, name))).size;
  const sizes: BundleSize[] = [];
  for (const [logicalName, fileName] of Object.entries(manifest)) {
    sizes.push({
      logicalName,
      fileName,
      bytes: await sizeOf(fileName),
      gzipBytes: await sizeOf(`${fileName}.gz`),
      brotliBytes: await sizeOf(`${fileName}.br`),
    });
  }
  return sizes;
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

if (import.meta.main) {
  const started = performance.now();
  const manifest = await buildBundles();
  const elapsed = Math.round(performance.now() - started);
  console.log(
    `Built ${Object.keys(manifest).length} bundle(s) into ${
      relative(Deno.cwd(), DEFAULT_OUT_DIR)
    } in ${elapsed} ms`,
  );
  for (const size of await bundleSizes(DEFAULT_OUT_DIR, manifest)) {
    console.log(
      `  ${size.logicalName} → ${size.fileName}: ${
        kilobytes(size.bytes)
      } raw, ${kilobytes(size.gzipBytes)} gzip, ${
        kilobytes(size.brotliBytes)
      } brotli`,
    );
  }
}
