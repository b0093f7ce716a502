import { Hono } from "hono";
import { join } from "node:path";
import {
  type BuildManifest,
  bundleFileName,
  readManifest,
} from "./bundle_manifest.ts";
import { type HostPolicy, misdirected } from "./host_policy.ts";
import { DIST_URL_PATH } from "./paths.ts";

export interface GadgetOptions {
  /** Holds the gadget templates under `gadgets/`. */
  readonly staticDir: string;
  readonly distDir: string;
  /** The origin browsers reach us at (DESKTOP_CHAT_PUBLIC_ORIGIN). */
  readonly publicOrigin?: string;
  /** Without a public origin, the request's own origin if its Host is allowed. */
  readonly hosts: HostPolicy;
  /** Filled into `{{domain}}`; empty when unset. */
  readonly xmppDomain?: string;
}

export const GADGETS_URL_PATH = "/gadgets";

/**
 * Serves `static/gadgets/<Name>.xml` with the service's origin and the hashed
 * bundle names filled in: the Finesse container renders the gadget on its own
 * origin, so every URL in it must be absolute, and the bundle name changes
 * with every build. Without a public origin and for a Host the service does
 * not answer for: 421, so no client's Host is ever written into it.
 */
export function gadgetRoutes(options: GadgetOptions): Hono {
  return new Hono().get(
    `${GADGETS_URL_PATH}/:file{[A-Za-z][A-Za-z0-9_-]*\\.xml}`,
    async (c) => {
      const file = c.req.param("file");
      const template = await readTemplate(
        join(options.staticDir, "gadgets", file),
      );
      if (template === undefined) return c.notFound();
      const manifest = await readManifest(options.distDir);
      const origin = options.publicOrigin ?? options.hosts.trustedOrigin(c);
      if (origin === undefined) throw misdirected();
      const body = fillTemplate(
        template,
        file,
        (key) =>
          placeholderValue(key, origin, manifest, options.xmppDomain ?? ""),
      );
      // Revalidated on every fetch: a new build changes the bundle name in it.
      return c.body(body, 200, {
        "Content-Type": "application/xml; charset=utf-8",
        "Cache-Control": "no-cache",
      });
    },
  );
}

async function readTemplate(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

function placeholderValue(
  key: string,
  origin: string,
  manifest: BuildManifest,
  domain: string,
): string | undefined {
  if (key === "origin") return origin;
  if (key === "domain") return domain;
  if (key.startsWith("dist:")) {
    return `${origin}${DIST_URL_PATH}/${
      bundleFileName(manifest, key.slice("dist:".length))
    }`;
  }
  return undefined;
}

/** Replaces `{{key}}`; values land in HTML attributes inside the CDATA, so they are escaped for that. */
export function fillTemplate(
  template: string,
  templateName: string,
  valueOf: (key: string) => string | undefined,
): string {
  return template.replace(
    /\{\{\s*([\w:.-]+)\s*\}\}/g,
    (_match, key: string) => {
      const value = valueOf(key);
      if (value === undefined) {
        throw new Error(
          `${templateName}: unknown placeholder {{${key}}}`,
        );
      }
      return escapeAttribute(value);
    },
  );
}

function escapeAttribute(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (character) => `&#${character.charCodeAt(0)};`,
  );
}
