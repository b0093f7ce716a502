import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import {
  type ChatServerSettings,
  validateSettings,
} from "../shared/settings/settings_schema.ts";
import type { AdminAuth, AdminEnv } from "./admin_auth.ts";
import { requireAdmin } from "./admin_routes.ts";
import { readJsonBody, tooLarge } from "./json_body.ts";
import { jsonError, jsonErrors } from "./json_error.ts";
import { CHAT_SERVER_SETTINGS_PATH } from "./paths.ts";
import type { SettingsStore } from "./settings_store.ts";

export interface SettingsRoutesOptions {
  readonly store: SettingsStore;
  readonly auth: AdminAuth;
  /** Served until an administrator saves settings for the first time. */
  readonly defaults: ChatServerSettings;
}

export const SETTINGS_BODY_LIMIT = 16 * 1024;

interface Representation {
  readonly settings: ChatServerSettings;
  readonly etag: string;
  /** Store version behind the representation; `null` while the defaults are served. */
  readonly version: string | null;
}

/**
 * `GET /api/chat-server-settings` for every desktop (no sign-in), and
 * `PUT` for the administrator, guarded by `If-Match` so two administrators
 * never silently overwrite each other (RFC 9110 §13.1.1, formerly RFC 7232 §3.1).
 */
export function settingsRoutes(options: SettingsRoutesOptions): Hono<AdminEnv> {
  const { store, auth } = options;
  const defaults = structuredClone(options.defaults);
  const defaultsTag = defaultsEtag(defaults);

  async function current(): Promise<Representation> {
    const stored = await store.get();
    if (stored === null) {
      return { settings: defaults, etag: await defaultsTag, version: null };
    }
    return {
      settings: stored.settings,
      etag: storedEtag(stored.version),
      version: stored.version,
    };
  }

  const app = new Hono<AdminEnv>();
  app.onError(jsonErrors);

  app.get(CHAT_SERVER_SETTINGS_PATH, async (c) => {
    const { settings, etag } = await current();
    // no-cache: desktops may keep a copy but must revalidate, so a change
    // reaches them on their next load (RFC 9111 §5.2.2.4).
    c.header("Cache-Control", "no-cache");
    c.header("ETag", etag);
    if (matchesWeakly(c.req.header("If-None-Match"), etag)) {
      return c.body(null, 304);
    }
    return c.json(settings);
  });

  app.put(
    CHAT_SERVER_SETTINGS_PATH,
    requireAdmin(auth),
    // Refuses on Content-Length before reading; readJsonBody then counts
    // the bytes that really arrive.
    bodyLimit({
      maxSize: SETTINGS_BODY_LIMIT,
      onError: () => {
        throw tooLarge(SETTINGS_BODY_LIMIT);
      },
    }),
    async (c) => {
      const ifMatch = c.req.header("If-Match");
      // RFC 6585 §3: 428 Precondition Required, against lost updates. `*`
      // matches whatever is stored (RFC 9110 §13.1.1), so it guards nothing.
      if (ifMatch === undefined || ifMatch.trim() === "*") {
        throw jsonError(
          428,
          `Send If-Match with the ETag from GET ${CHAT_SERVER_SETTINGS_PATH} (not *), so a save never overwrites a newer one.`,
        );
      }
      const validation = validateSettings(
        await readJsonBody(c.req.raw, SETTINGS_BODY_LIMIT),
      );
      if (!validation.ok) {
        throw jsonError(422, "Some settings are not valid.", {
          errors: validation.errors,
        });
      }
      // RFC 9110 §13.2.2: preconditions are evaluated once the request is
      // otherwise acceptable, i.e. when the server would perform it.
      const before = await current();
      if (!matchesStrongly(ifMatch, before.etag)) {
        throw changedMeanwhile(before.etag);
      }
      const result = await store.put(validation.value, before.version);
      if (!result.ok) {
        throw changedMeanwhile(
          result.current === null
            ? await defaultsTag
            : storedEtag(result.current),
        );
      }
      c.header("Cache-Control", "no-cache");
      c.header("ETag", storedEtag(result.version));
      return c.json(validation.value);
    },
  );
  return app;
}

function changedMeanwhile(etag: string): Error {
  // RFC 9110 §15.5.13: 412 Precondition Failed; the current ETag lets the
  // page tell the administrator and reload.
  return jsonError(
    412,
    "The settings were changed meanwhile. Reload them, then save again.",
    {
      headers: { ETag: etag },
    },
  );
}

// Store versions are opaque but etagc-safe (see StoredSettings.version); the
// prefix keeps them apart from the defaults' tag.
function storedEtag(version: string): string {
  return `"s-${version}"`;
}

// The defaults are content-addressed, so a deploy that changes them also
// changes the tag and revalidating desktops receive the new ones.
async function defaultsEtag(defaults: ChatServerSettings): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(JSON.stringify(defaults)),
  );
  const hex = Array.from(
    new Uint8Array(digest).subarray(0, 12),
    (byte) => byte.toString(16).padStart(2, "0"),
  );
  return `"d-${hex.join("")}"`;
}

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE.
const ENTITY_TAG = /(W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;

function entityTags(header: string): { weak: boolean; tag: string }[] {
  return Array.from(header.matchAll(ENTITY_TAG), (match) => ({
    weak: match[1] !== undefined,
    tag: match[0].slice(match[1]?.length ?? 0),
  }));
}

// RFC 9110 §13.1.1: If-Match uses the strong comparison (`*` was refused).
function matchesStrongly(header: string, etag: string): boolean {
  return entityTags(header).some((candidate) =>
    !candidate.weak && candidate.tag === etag
  );
}

// RFC 9110 §13.1.2: If-None-Match uses the weak comparison.
function matchesWeakly(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === "*") return true;
  return entityTags(header).some((candidate) => candidate.tag === etag);
}
