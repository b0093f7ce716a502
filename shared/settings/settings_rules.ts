// The rules of the chat-server settings that hold wherever they are read:
// their shape, their limits and the checks of a server URL and a file type.
// No dependency, so the desktop element can check the settings it fetches
// without the schema library the service and the admin page use
// (settings_schema.ts builds its schema from these same checks).
export interface AttachmentPolicy {
  enabled: boolean;
  maxBytes: number;
  /** Lower-case file extensions (`.pdf`) and MIME types (`image/png`, `image/*`). */
  allowedTypes: string[];
}

export interface ChatServerSettings {
  /** BOSH or WebSocket URL of the IM&P node tried first. */
  primary: string;
  /** Node tried when the primary is unreachable; `""` when there is none. */
  secondary: string;
  attachments: AttachmentPolicy;
}

/**
 * Nothing configured yet: no chat server (the element reports that chat is
 * not set up) and attachments off until an administrator turns them on.
 */
export function defaultSettings(): ChatServerSettings {
  return {
    primary: "",
    secondary: "",
    attachments: {
      enabled: false,
      maxBytes: 10 * 1024 * 1024,
      allowedTypes: [".pdf", ".txt", ".png", ".jpg", ".jpeg", ".gif"],
    },
  };
}

/** Field path (`primary`, `attachments.allowedTypes.2`) → message for the administrator. */
export type SettingsErrors = Record<string, string>;

export type SettingsValidation =
  | { ok: true; value: ChatServerSettings }
  | { ok: false; errors: SettingsErrors };

/** Error key for problems with the document as a whole (not an object, unknown fields). */
export const ROOT_ERROR_KEY = "settings";

export const MAX_URL_LENGTH = 2048;
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;
export const MAX_ALLOWED_TYPES = 100;
export const MAX_TYPE_LENGTH = 100;

const ALLOWED_SCHEMES = ["http", "https", "ws", "wss"];

/**
 * Why a server URL was refused; the wording is chosen where it is shown
 * (settings_messages.ts for the administrator), so the desktop element,
 * which only refuses, does not carry it.
 */
export type ServerUrlProblem =
  | "too-long"
  | "empty"
  | "bad-characters"
  | "no-scheme"
  | "scheme"
  | "no-slashes"
  | "credentials"
  | "query"
  | "fragment"
  | "no-host"
  | "port"
  | "bad-host";

export type ServerUrlCheck =
  | { ok: true; href: string }
  | { ok: false; problem: ServerUrlProblem; scheme?: string };

/**
 * Checks a chat-server URL on its raw text as well as through `new URL`:
 * the WHATWG parser silently drops an empty port (`host:`), an empty query
 * (`?`), fills in a missing `//`, reads `\` as `/` and rejects port 70000
 * with only a generic error, so those cases are caught before parsing.
 */
export function checkServerUrl(raw: string): ServerUrlCheck {
  if (raw.length > MAX_URL_LENGTH) {
    return fail("too-long");
  }
  const text = raw.trim();
  if (text === "") return fail("empty");
  // deno-lint-ignore no-control-regex
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) {
    return fail("bad-characters");
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  // `imp.example.com:5280/…` parses as scheme `imp.example.com`: a digit after
  // the colon means a forgotten scheme, not a foreign one.
  if (
    scheme === undefined ||
    (!ALLOWED_SCHEMES.includes(scheme) &&
      /^\d/.test(text.slice(scheme.length + 1)))
  ) {
    return fail("no-scheme");
  }
  if (!ALLOWED_SCHEMES.includes(scheme)) {
    return fail("scheme");
  }
  const afterScheme = text.slice(scheme.length + 1);
  if (!afterScheme.startsWith("//")) {
    return { ok: false, problem: "no-slashes", scheme };
  }
  const authority = /^[^/?#]*/.exec(afterScheme.slice(2))?.[0] ?? "";
  if (authority.includes("@")) {
    return fail("credentials");
  }
  if (text.includes("?")) return fail("query");
  if (text.includes("#")) return fail("fragment");

  const { host, port } = splitAuthority(authority);
  if (host === "") return fail("no-host");
  if (port !== undefined && !isValidPort(port)) {
    return fail("port");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The raw checks above passed, so what is left is a malformed host
    // (bad characters, an unbalanced IPv6 bracket): say so, not the parser's text.
    return fail("bad-host");
  }
  if (url.hostname === "") return fail("no-host");
  // `href` lower-cases the scheme and host and drops a default port.
  return { ok: true, href: url.href };
}

function fail(problem: ServerUrlProblem): ServerUrlCheck {
  return { ok: false, problem };
}

function splitAuthority(
  authority: string,
): { host: string; port: string | undefined } {
  // RFC 3986 §3.2.2: an IPv6 literal is bracketed, so its colons are not the
  // port's; an unclosed bracket is left whole for the host check to refuse.
  const end = authority.startsWith("[") ? authority.indexOf("]") : 0;
  if (end === -1) return { host: authority, port: undefined };
  const colon = authority.indexOf(":", end);
  if (colon === -1) return { host: authority, port: undefined };
  return { host: authority.slice(0, colon), port: authority.slice(colon + 1) };
}

function isValidPort(text: string): boolean {
  if (!/^\d{1,5}$/.test(text)) return false;
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

// RFC 6838 §4.2 restricted-name, plus `type/*` for a whole family.
const MIME_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/(?:\*|[a-z0-9][a-z0-9!#$&^_.+-]{0,126})$/;
const FILE_EXTENSION = /^\.?[a-z0-9][a-z0-9_+-]*(?:\.[a-z0-9][a-z0-9_+-]*)*$/;

/** Why an allowed type was refused (wording: settings_messages.ts). */
export type FileTypeProblem = "too-long" | "empty" | "format";

export type FileTypeCheck =
  | { ok: true; type: string }
  | { ok: false; problem: FileTypeProblem };

/**
 * Checks and normalizes one allowed attachment type: lower-cased, and a bare
 * extension gets its dot (`PDF` → `.pdf`).
 */
export function checkFileType(raw: string): FileTypeCheck {
  if (raw.length > MAX_TYPE_LENGTH) {
    return { ok: false, problem: "too-long" };
  }
  const type = raw.trim().toLowerCase();
  if (MIME_TYPE.test(type)) return { ok: true, type };
  if (FILE_EXTENSION.test(type)) {
    return { ok: true, type: type.startsWith(".") ? type : `.${type}` };
  }
  return { ok: false, problem: type === "" ? "empty" : "format" };
}
