// The chat-server settings an administrator saves and every agent's desktop
// reads. Shared by the service and the admin page in the browser, so it
// depends on valibot only.
import * as v from "valibot";

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
const EXAMPLE_URL = "https://imp.example.com:5280/http-bind";

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

export const DEFAULT_SETTINGS: Readonly<ChatServerSettings> = deepFreeze(
  defaultSettings(),
);

export type ServerUrlCheck =
  | { ok: true; href: string }
  | { ok: false; message: string };

/**
 * Checks a chat-server URL on its raw text as well as through `new URL`:
 * the WHATWG parser silently drops an empty port (`host:`), an empty query
 * (`?`), fills in a missing `//`, reads `\` as `/` and rejects port 70000
 * with only a generic error, so those cases are caught before parsing.
 */
export function checkServerUrl(raw: string): ServerUrlCheck {
  if (raw.length > MAX_URL_LENGTH) {
    return fail(`The URL is too long: at most ${MAX_URL_LENGTH} characters.`);
  }
  const text = raw.trim();
  if (text === "") return fail(`Enter a URL such as ${EXAMPLE_URL}.`);
  // deno-lint-ignore no-control-regex
  if (/[\s\\\u0000-\u001f\u007f]/.test(text)) {
    return fail(
      "The URL must not contain spaces, backslashes or control characters.",
    );
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  // `imp.example.com:5280/…` parses as scheme `imp.example.com`: a digit after
  // the colon means a forgotten scheme, not a foreign one.
  if (
    scheme === undefined ||
    (!ALLOWED_SCHEMES.includes(scheme) &&
      /^\d/.test(text.slice(scheme.length + 1)))
  ) {
    return fail(
      `Enter a full URL starting with https://, such as ${EXAMPLE_URL}.`,
    );
  }
  if (!ALLOWED_SCHEMES.includes(scheme)) {
    return fail(
      "The URL must start with https:// (or http://, ws://, wss://); " +
        "other schemes such as javascript:, data: or ftp: are not allowed.",
    );
  }
  const afterScheme = text.slice(scheme.length + 1);
  if (!afterScheme.startsWith("//")) {
    return fail(`Write the URL as ${scheme}://host:port/path.`);
  }
  const authority = /^[^/?#]*/.exec(afterScheme.slice(2))?.[0] ?? "";
  if (authority.includes("@")) {
    return fail(
      "The URL must not contain a user name or password (user:password@).",
    );
  }
  if (text.includes("?")) return fail("The URL must not contain a query (?…).");
  if (text.includes("#")) {
    return fail("The URL must not contain a fragment (#…).");
  }

  const { host, port } = splitAuthority(authority);
  if (host === "") return fail("The URL must name the chat server's host.");
  if (port !== undefined && !isValidPort(port)) {
    return fail("The port must be a number from 1 to 65535.");
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The raw checks above passed, so what is left is a malformed host
    // (bad characters, an unbalanced IPv6 bracket): say so, not the parser's text.
    return fail("The URL's host name is not valid.");
  }
  if (url.hostname === "") {
    return fail("The URL must name the chat server's host.");
  }
  // `href` lower-cases the scheme and host and drops a default port.
  return { ok: true, href: url.href };
}

function fail(message: string): ServerUrlCheck {
  return { ok: false, message };
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

function serverUrl(required: boolean) {
  return v.pipe(
    v.string("Enter the URL as text."),
    v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
      if (!required && dataset.value.trim() === "") return "";
      const check = checkServerUrl(dataset.value);
      if (check.ok) return check.href;
      addIssue({ message: check.message });
      return NEVER;
    }),
  );
}

const fileType = v.pipe(
  v.string("Each allowed type must be text, such as .pdf or image/png."),
  v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
    if (dataset.value.length > MAX_TYPE_LENGTH) {
      addIssue({
        message:
          `An allowed type can be at most ${MAX_TYPE_LENGTH} characters.`,
      });
      return NEVER;
    }
    const type = dataset.value.trim().toLowerCase();
    if (MIME_TYPE.test(type)) return type;
    if (FILE_EXTENSION.test(type)) {
      return type.startsWith(".") ? type : `.${type}`;
    }
    addIssue({
      message: type === ""
        ? "An allowed type cannot be empty."
        : "Use a file extension such as .pdf or a MIME type such as image/png or image/*.",
    });
    return NEVER;
  }),
);

const allowedTypes = v.pipe(
  v.array(
    v.unknown(),
    'Allowed types must be a list, such as [".pdf", "image/*"].',
  ),
  // Checked before the entries so a huge list yields one error, not one per entry.
  v.maxLength(
    MAX_ALLOWED_TYPES,
    `At most ${MAX_ALLOWED_TYPES} allowed types can be listed.`,
  ),
  v.array(fileType),
  v.transform((types) => [...new Set(types)]),
);

const maxBytes = v.pipe(
  v.number("The maximum attachment size must be a number of bytes."),
  v.integer("The maximum attachment size must be a whole number of bytes."),
  v.minValue(1, "The maximum attachment size must be at least 1 byte."),
  v.maxValue(
    MAX_ATTACHMENT_BYTES,
    `The maximum attachment size can be at most 100 MiB (${MAX_ATTACHMENT_BYTES} bytes).`,
  ),
);

const attachments = record(
  {
    enabled: v.boolean("Attachments enabled must be true or false."),
    maxBytes,
    allowedTypes,
  },
  "Attachment settings must be an object with enabled, maxBytes and allowedTypes.",
);

const SettingsSchema = v.pipe(
  record(
    {
      primary: serverUrl(true),
      secondary: serverUrl(false),
      attachments,
    },
    "Settings must be a JSON object with primary, secondary and attachments.",
  ),
  v.forward(
    v.partialCheck(
      [["primary"], ["secondary"]],
      (input) => input.secondary === "" || input.secondary !== input.primary,
      "The secondary chat server must differ from the primary one.",
    ),
    ["secondary"],
  ),
);

// valibot's object schemas accept arrays (typeof [] is "object"); settings
// never are one, so an array is refused with the type message.
function record<const TEntries extends v.ObjectEntries>(
  entries: TEntries,
  typeMessage: string,
) {
  return v.pipe(
    v.custom<Record<string, unknown>>(
      (input) =>
        typeof input === "object" && input !== null && !Array.isArray(input),
      typeMessage,
    ),
    v.strictObject(entries, objectMessage(typeMessage)),
  );
}

// A strict object reports a wrong type, a missing key and an unknown key
// through the same message; unknown keys are reworded in `errorsOf`.
function objectMessage(
  typeMessage: string,
): (issue: v.StrictObjectIssue) => string {
  return (issue) =>
    issue.path === undefined ? typeMessage : "This setting is required.";
}

/**
 * Validates and normalizes settings from an untrusted source (a request body,
 * a form). Unknown fields are rejected, so a misspelt field is not silently lost.
 */
export function validateSettings(input: unknown): SettingsValidation {
  const result = v.safeParse(SettingsSchema, input);
  if (result.success) return { ok: true, value: result.output };
  return { ok: false, errors: errorsOf(result.issues) };
}

function errorsOf(issues: readonly v.BaseIssue<unknown>[]): SettingsErrors {
  const errors: SettingsErrors = {};
  for (const issue of issues) {
    const keys = (issue.path ?? []).map((item) => String(item.key));
    let message = issue.message;
    if (issue.type === "strict_object" && issue.expected === "never") {
      // Reported on the enclosing object: the unknown key is input, and
      // echoing an arbitrary (possibly huge) key name as an error key would
      // hand it back to the page.
      const name = keys.pop() ?? "";
      message = /^[\w.-]{1,40}$/.test(name)
        ? `Unknown setting "${name}"; remove it.`
        : "Unknown setting; remove it.";
    }
    const key = keys.length === 0 ? ROOT_ERROR_KEY : keys.join(".");
    errors[key] ??= message;
  }
  return errors;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
