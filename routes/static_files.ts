import type { HonoRequest, MiddlewareHandler } from "hono";
import { extname, join, resolve } from "node:path";
import { acceptedCodings } from "./content_coding.ts";

export interface StaticFilesOptions {
  /** Directory whose files are served. */
  readonly root: string;
  /** URL path the directory is mounted at, without a trailing slash (`/static/dist`). */
  readonly urlPath: string;
  /** Cache-Control value for a file, given its path relative to `root`. */
  readonly cacheControl: (relativePath: string) => string;
  /** Relative path prefixes (`dist/`) that this root never serves. */
  readonly hidden?: readonly string[];
  /**
   * The build wrote `x.js.br` / `x.js.gz` beside each bundle: send the one
   * the client accepts (content_coding.ts) in place of the file.
   */
  readonly precompressed?: boolean;
}

export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";
export const REVALIDATE_CACHE_CONTROL = "no-cache";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".ico": "image/x-icon",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".xml": "application/xml; charset=utf-8",
};

/** Serves files under `root` at `urlPath`; anything it cannot serve goes on to `next()` (the 404). */
export function staticFiles(options: StaticFilesOptions): MiddlewareHandler {
  const root = resolve(options.root);
  return async function staticFiles(c, next) {
    const relativePath = requestedFile(c.req.path, options.urlPath);
    if (
      relativePath === undefined ||
      options.hidden?.some((prefix) => relativePath.startsWith(prefix))
    ) {
      return await next();
    }
    const path = join(root, relativePath);
    const variant = options.precompressed
      ? await readVariant(path, c.req.header("Accept-Encoding"))
      : undefined;
    const file = variant ?? await readFile(path);
    if (!file) return await next();

    const etag = `"${await digest(file.contents)}"`;
    const headers: Record<string, string> = {
      "Cache-Control": options.cacheControl(relativePath),
      "ETag": etag,
      // These are public assets the Finesse gadget iframe loads from its own
      // origin: module scripts are fetched with CORS, stylesheets and images
      // in no-cors mode, which Cross-Origin-Resource-Policy governs.
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
    };
    if (file.modified) headers["Last-Modified"] = file.modified.toUTCString();
    // RFC 9110 §12.5.5: caches must key the answer by Accept-Encoding.
    if (options.precompressed) headers["Vary"] = "Accept-Encoding";
    if (isNotModified(c.req, etag, file.modified)) {
      return c.body(null, 304, headers);
    }
    headers["Content-Type"] =
      CONTENT_TYPES[extname(relativePath).toLowerCase()] ??
        "application/octet-stream";
    if (variant) headers["Content-Encoding"] = variant.coding;
    return c.body(file.contents, 200, headers);
  };
}

/** The file path below `urlPath`, or undefined for anything that is not a plain, visible file path. */
function requestedFile(path: string, urlPath: string): string | undefined {
  if (!path.startsWith(`${urlPath}/`)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.slice(urlPath.length + 1));
  } catch (error) {
    // A malformed percent-escape names no file: answer 404 like any other miss.
    if (error instanceof URIError) return undefined;
    throw error;
  }
  const segments = decoded.split("/");
  // Rejects "..", hidden files, empty segments, and backslashes or NULs that
  // could mean something else to the file system.
  const safe = segments.every((segment) =>
    segment !== "" && !segment.startsWith(".") && !/[\\\0]/.test(segment)
  );
  return safe ? segments.join("/") : undefined;
}

interface StaticFile {
  contents: Uint8Array<ArrayBuffer>;
  modified: Date | null;
}

async function readFile(path: string): Promise<StaticFile | undefined> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) return undefined;
    return { contents: await Deno.readFile(path), modified: info.mtime };
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) return undefined;
    throw error;
  }
}

/**
 * The best encoded copy of `path` that the client accepts and the build
 * wrote (it writes them only beside a bundle, and removes them with it).
 * Each copy is its own representation, so its ETag (a hash of its bytes)
 * differs from the plain file's (RFC 9110 §8.8.3).
 */
async function readVariant(
  path: string,
  acceptEncoding: string | undefined,
): Promise<StaticFile & { coding: string } | undefined> {
  for (const { coding, suffix } of acceptedCodings(acceptEncoding)) {
    const copy = await readFile(path + suffix);
    if (copy) return { ...copy, coding };
  }
  return undefined;
}

// A content hash rather than mtime and size: replicas of the service then
// agree on the ETag of the same file.
async function digest(contents: Uint8Array<ArrayBuffer>): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", contents));
  return Array.from(
    hash.subarray(0, 16),
    (byte) => byte.toString(16).padStart(2, "0"),
  ).join("");
}

// RFC 9110 §13.1.2: If-None-Match uses the weak comparison; §13.1.3: when it
// is present, If-Modified-Since is ignored.
function isNotModified(
  request: HonoRequest,
  etag: string,
  modified: Date | null,
): boolean {
  const ifNoneMatch = request.header("If-None-Match");
  if (ifNoneMatch !== undefined) {
    return ifNoneMatch.split(",").some((tag) => {
      const candidate = tag.trim();
      return candidate === "*" || candidate.replace(/^W\//, "") === etag;
    });
  }
  const ifModifiedSince = request.header("If-Modified-Since");
  if (ifModifiedSince === undefined || modified === null) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds; the file's mtime may not.
  return !Number.isNaN(since) &&
    Math.floor(modified.getTime() / 1000) * 1000 <= since;
}
