import { join } from "node:path";
import { DIST_URL_PATH } from "./paths.ts";

/** Logical bundle name (`desktop-chat.js`) → hashed file name in the dist folder. */
export type BuildManifest = Readonly<Record<string, string>>;

export const MANIFEST_FILE_NAME = "manifest.json";

// esbuild's `[hash]` is 8 characters of base32 (A–Z, 2–7); the build script
// and the cache headers both rely on this shape to tell hashed files apart.
const HASHED_FILE_NAME = /^[\w.-]+-[A-Z2-7]{8}\.[a-z0-9]+$/;
const LOGICAL_NAME = /^[a-z0-9][\w.-]*$/;

export function isHashedFileName(name: string): boolean {
  return HASHED_FILE_NAME.test(name);
}

export class ManifestError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ManifestError";
  }
}

/** Validates parsed JSON: names end up in HTML attributes and URLs, so only plain file names pass. */
export function parseManifest(value: unknown): BuildManifest {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ManifestError("bundle manifest must be a JSON object");
  }
  const manifest: Record<string, string> = {};
  for (const [logical, hashed] of Object.entries(value)) {
    if (!LOGICAL_NAME.test(logical)) {
      throw new ManifestError(
        `bundle manifest: bad logical name ${JSON.stringify(logical)}`,
      );
    }
    if (typeof hashed !== "string" || !isHashedFileName(hashed)) {
      throw new ManifestError(
        `bundle manifest: ${logical} maps to ${
          JSON.stringify(hashed)
        }, not a hashed file name`,
      );
    }
    manifest[logical] = hashed;
  }
  return manifest;
}

export async function readManifest(distDir: string): Promise<BuildManifest> {
  const path = join(distDir, MANIFEST_FILE_NAME);
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    throw new ManifestError(
      `cannot read ${path}: run \`deno task build\` first`,
      {
        cause: error,
      },
    );
  }
  try {
    return parseManifest(JSON.parse(text));
  } catch (error) {
    if (error instanceof ManifestError) throw error;
    throw new ManifestError(`${path} is not valid JSON`, { cause: error });
  }
}

export function bundleFileName(
  manifest: BuildManifest,
  logicalName: string,
): string {
  const hashed = manifest[logicalName];
  if (hashed === undefined) {
    throw new ManifestError(`bundle manifest has no entry for ${logicalName}`);
  }
  return hashed;
}

/** URL path of a bundle as the browser loads it, e.g. `/static/dist/desktop-chat-UNJSHKAX.js`. */
export async function bundleUrlPath(
  distDir: string,
  logicalName: string,
): Promise<string> {
  return `${DIST_URL_PATH}/${
    bundleFileName(await readManifest(distDir), logicalName)
  }`;
}

export async function manifestExists(distDir: string): Promise<boolean> {
  try {
    return (await Deno.stat(join(distDir, MANIFEST_FILE_NAME))).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
