// The admin page's view of the service: sign-in, session, and the chat
// server settings with their ETag. Every HTTP outcome is a typed result, so
// the model decides what the administrator reads; only a bug throws.
import type {
  ChatServerSettings,
  SettingsErrors,
} from "../../shared/settings/settings_schema.ts";

export const LOGIN_PATH = "/api/admin/login";
export const LOGOUT_PATH = "/api/admin/logout";
export const SESSION_PATH = "/api/admin/session";
export const SETTINGS_PATH = "/api/chat-server-settings";

export type ApiFailure =
  | { readonly kind: "unauthorized"; readonly message: string }
  | {
    readonly kind: "throttled";
    readonly message: string;
    /** True when `message` is the service's own words (why, and how long). */
    readonly explained: boolean;
    /** From `Retry-After` (RFC 9110 §10.2.3); `null` when absent. */
    readonly retryAfterSeconds: number | null;
  }
  | { readonly kind: "unavailable"; readonly message: string }
  | {
    readonly kind: "invalid";
    readonly message: string;
    readonly errors: SettingsErrors;
  }
  | { readonly kind: "conflict"; readonly message: string }
  | { readonly kind: "failed"; readonly message: string }
  | { readonly kind: "network"; readonly message: string };

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ApiFailure };

export interface VersionedSettings {
  readonly settings: ChatServerSettings;
  /** Sent back as `If-Match`, so a save never overwrites a newer one. */
  readonly etag: string;
}

export interface AdminApi {
  session(): Promise<ApiResult<{ username: string }>>;
  signIn(username: string, password: string): Promise<ApiResult<void>>;
  signOut(): Promise<ApiResult<void>>;
  loadSettings(): Promise<ApiResult<VersionedSettings>>;
  saveSettings(
    settings: ChatServerSettings,
    etag: string,
  ): Promise<ApiResult<VersionedSettings>>;
}

export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface AdminApiOptions {
  /** The service's origin; `""` for the page's own (the `/admin` page). */
  readonly origin?: string;
  readonly fetch?: Fetch;
}

export function createAdminApi(options: AdminApiOptions = {}): AdminApi {
  const origin = options.origin ?? "";
  const fetchImpl: Fetch = options.fetch ??
    ((input, init) => globalThis.fetch(input, init));

  async function request(
    path: string,
    init: RequestInit = {},
  ): Promise<Response | ApiFailure> {
    try {
      return await fetchImpl(`${origin}${path}`, {
        // In a Finesse gadget the page's origin is the Finesse host, so the
        // session cookie goes along only when asked to.
        credentials: "include",
        cache: "no-store",
        ...init,
        headers: { Accept: "application/json", ...init.headers },
      });
    } catch (error) {
      // fetch() rejects with a TypeError for network failures only.
      if (!(error instanceof TypeError)) throw error;
      return {
        kind: "network",
        message: `Cannot reach the Desktop Chat service (${error.message}).`,
      };
    }
  }

  async function settingsFrom(
    response: Response,
  ): Promise<ApiResult<VersionedSettings>> {
    const etag = response.headers.get("ETag");
    const settings = settingsDocument(await readJson(response));
    if (etag === null || settings === undefined) {
      return failed(
        "The service answered with settings this page cannot read.",
      );
    }
    return { ok: true, value: { settings, etag } };
  }

  return {
    async session() {
      const response = await request(SESSION_PATH);
      if (!(response instanceof Response)) return fail(response);
      if (!response.ok) return fail(await failureOf(response));
      const body = await readJson(response);
      if (!isRecord(body) || typeof body.username !== "string") {
        return failed("The service answered the session check oddly.");
      }
      return { ok: true, value: { username: body.username } };
    },

    async signIn(username, password) {
      const response = await request(LOGIN_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ username, password }),
      });
      if (!(response instanceof Response)) return fail(response);
      if (!response.ok) return fail(await failureOf(response));
      await response.body?.cancel();
      return { ok: true, value: undefined };
    },

    async signOut() {
      const response = await request(LOGOUT_PATH, { method: "POST" });
      if (!(response instanceof Response)) return fail(response);
      if (!response.ok) return fail(await failureOf(response));
      await response.body?.cancel();
      return { ok: true, value: undefined };
    },

    async loadSettings() {
      const response = await request(SETTINGS_PATH);
      if (!(response instanceof Response)) return fail(response);
      if (!response.ok) return fail(await failureOf(response));
      return await settingsFrom(response);
    },

    async saveSettings(settings, etag) {
      const response = await request(SETTINGS_PATH, {
        method: "PUT",
        headers: { "Content-Type": "application/json", "If-Match": etag },
        body: JSON.stringify(settings),
      });
      if (!(response instanceof Response)) return fail(response);
      if (!response.ok) return fail(await failureOf(response));
      return await settingsFrom(response);
    },
  };
}

function fail<T>(failure: ApiFailure): ApiResult<T> {
  return { ok: false, failure };
}

function failed<T>(message: string): ApiResult<T> {
  return fail({ kind: "failed", message });
}

// The service answers every error as `{ error, errors? }` JSON (json_error.ts).
async function failureOf(response: Response): Promise<ApiFailure> {
  const body = await readJson(response);
  const explained = isRecord(body) && typeof body.error === "string";
  const message = isRecord(body) && typeof body.error === "string"
    ? body.error
    : `The service answered ${
      [response.status, response.statusText].join(" ").trim()
    }.`;
  switch (response.status) {
    case 401:
      return { kind: "unauthorized", message };
    case 412:
      return { kind: "conflict", message };
    case 422:
      return { kind: "invalid", message, errors: errorsOf(body) };
    case 429:
      return {
        kind: "throttled",
        message,
        explained,
        retryAfterSeconds: retryAfter(response.headers.get("Retry-After")),
      };
    case 503:
      return { kind: "unavailable", message };
    default:
      return { kind: "failed", message };
  }
}

function errorsOf(body: unknown): SettingsErrors {
  const errors: SettingsErrors = {};
  if (isRecord(body) && isRecord(body.errors)) {
    for (const [key, value] of Object.entries(body.errors)) {
      if (typeof value === "string") errors[key] = value;
    }
  }
  return errors;
}

// Only the delay-seconds form: the service never sends an HTTP date here.
function retryAfter(header: string | null): number | null {
  return header !== null && /^\d+$/.test(header.trim())
    ? Number(header.trim())
    : null;
}

/** The body as JSON, or `undefined` when it is empty or not JSON (a proxy's HTML error page). */
async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return undefined;
  }
}

/**
 * The settings as the service serves them. Only their shape is checked, not
 * validateSettings' rules: before anything is saved the service serves
 * defaults without a primary server, which the form must still show.
 */
function settingsDocument(body: unknown): ChatServerSettings | undefined {
  if (!isRecord(body) || !isRecord(body.attachments)) return undefined;
  const { primary, secondary, attachments } = body;
  const { enabled, maxBytes, allowedTypes } = attachments;
  if (
    typeof primary !== "string" || typeof secondary !== "string" ||
    typeof enabled !== "boolean" || typeof maxBytes !== "number" ||
    !Array.isArray(allowedTypes) ||
    !allowedTypes.every((type) => typeof type === "string")
  ) return undefined;
  return {
    primary,
    secondary,
    attachments: { enabled, maxBytes, allowedTypes },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
