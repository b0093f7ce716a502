// The desktop's read of the administrator's chat-server settings
// (GET /api/chat-server-settings, routes/settings_api.ts). Seed, "Cisco IM&P
// Design Considerations": retrieving these is the only chat-related exchange
// between the browser and the desktop service, and everything after it goes
// to the addresses it names. So the document is held to the rules the
// service enforces on save (settings_reader.ts): a proxy, a sign-on page or a
// stale cache must not be able to point the desktop at a server through a
// malformed answer.
import { readBody } from "../http/read_body.ts";
import { readSettings } from "./settings_reader.ts";
import type { ChatServerSettings, SettingsErrors } from "./settings_rules.ts";

export interface FetchedSettings {
  readonly settings: ChatServerSettings;
  /**
   * The response's entity tag: the settings version that node caches are
   * tied to. `null` when the response carried no valid one.
   */
  readonly etag: string | null;
}

export type SettingsFetchErrorKind =
  | "network"
  | "aborted"
  | "http"
  | "not-json"
  | "too-large"
  | "invalid"
  | "not-configured";

/** Why the settings could not be used; `message` can be shown as is. */
export class SettingsFetchError extends Error {
  readonly kind: SettingsFetchErrorKind;
  readonly status?: number;
  /** For `invalid`: the first field path found wrong → what is wrong. */
  readonly errors?: SettingsErrors;

  constructor(
    kind: SettingsFetchErrorKind,
    message: string,
    options: { status?: number; errors?: SettingsErrors; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "SettingsFetchError";
    this.kind = kind;
    this.status = options.status;
    this.errors = options.errors;
  }
}

export interface FetchSettingsOptions {
  readonly fetch?: typeof fetch;
  readonly signal?: AbortSignal;
  /** Largest body read; the service's documents are well under 1 KiB. */
  readonly maxBytes?: number;
}

export const MAX_SETTINGS_RESPONSE_BYTES = 64 * 1024;

// RFC 9110 §8.8.3: entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE.
const ENTITY_TAG = /^(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

export async function fetchChatServerSettings(
  url: string | URL,
  options: FetchSettingsOptions = {},
): Promise<FetchedSettings | SettingsFetchError> {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const { signal } = options;
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { Accept: "application/json" },
      signal,
    });
  } catch (error) {
    return transferFailure(error, signal);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return httpFailure(response.status);
  }
  const mediaType = response.headers.get("Content-Type")?.split(";")[0]
    .trim().toLowerCase() ?? "";
  // RFC 6839 §3.1: `+json` types are JSON too.
  if (mediaType !== "application/json" && !mediaType.endsWith("+json")) {
    await response.body?.cancel();
    return new SettingsFetchError(
      "not-json",
      `The desktop service answered with ${
        mediaType || "no content type"
      } instead of the chat settings (JSON); a proxy or sign-on page may be in the way.`,
    );
  }
  const body = await readCapped(
    response,
    options.maxBytes ?? MAX_SETTINGS_RESPONSE_BYTES,
    signal,
  );
  if (body instanceof SettingsFetchError) return body;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    return new SettingsFetchError(
      "not-json",
      "The desktop service's chat settings are not valid JSON.",
      { cause: error },
    );
  }
  const validation = readSettings(json);
  if (!validation.ok) return invalidSettings(json, validation.errors);
  const etag = response.headers.get("ETag");
  return {
    settings: validation.value,
    etag: etag !== null && ENTITY_TAG.test(etag) ? etag : null,
  };
}

function transferFailure(
  error: unknown,
  signal: AbortSignal | undefined,
): SettingsFetchError {
  if (signal?.aborted) {
    return new SettingsFetchError(
      "aborted",
      "Loading the chat settings was cancelled.",
      { cause: error },
    );
  }
  return new SettingsFetchError(
    "network",
    "The desktop service could not be reached to load the chat settings. Check the network and reload.",
    { cause: error },
  );
}

function httpFailure(status: number): SettingsFetchError {
  const advice = status >= 500
    ? "The desktop service failed; try again in a moment."
    : "Reload the page; if it persists, tell your administrator.";
  return new SettingsFetchError(
    "http",
    `The desktop service answered HTTP ${status} instead of the chat settings. ${advice}`,
    { status },
  );
}

function invalidSettings(
  json: unknown,
  errors: SettingsErrors,
): SettingsFetchError {
  // The service serves its defaults, with no primary server, until an
  // administrator saves settings (routes/settings_api.ts).
  const primary = typeof json === "object" && json !== null &&
      !Array.isArray(json)
    ? (json as Record<string, unknown>).primary
    : undefined;
  if (typeof primary === "string" && primary.trim() === "") {
    return new SettingsFetchError(
      "not-configured",
      "Desktop Chat is not set up: no chat server is configured. Ask your administrator to set the Primary Chat Server.",
      { errors },
    );
  }
  return new SettingsFetchError(
    "invalid",
    "The chat settings from the desktop service are not valid; ask your administrator to check and save them again.",
    { errors },
  );
}

/** The body as UTF-8 text, reading at most `max` bytes of it. */
async function readCapped(
  response: Response,
  max: number,
  signal: AbortSignal | undefined,
): Promise<string | SettingsFetchError> {
  const tooLarge = () =>
    new SettingsFetchError(
      "too-large",
      `The desktop service's chat settings are larger than ${max} bytes; a proxy or sign-on page may be in the way.`,
    );
  if (Number(response.headers.get("Content-Length")) > max) {
    await response.body?.cancel();
    return tooLarge();
  }
  let bytes;
  try {
    bytes = await readBody(response.body, max);
  } catch (error) {
    return transferFailure(error, signal);
  }
  if (bytes === undefined) return tooLarge();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    return new SettingsFetchError(
      "not-json",
      "The desktop service's chat settings are not UTF-8 text.",
      { cause: error },
    );
  }
}
