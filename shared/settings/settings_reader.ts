// The desktop element's check of the settings it fetches
// (settings_client.ts). It enforces what the service's schema
// (settings_schema.ts) enforces on save, with the same checks of
// settings_rules.ts, but without valibot: the element ships to every agent
// and only needs to accept a valid document or name the first problem, not
// list every problem for an administrator's form. settings_reader_test.ts
// checks that both agree on every input.
import {
  type ChatServerSettings,
  checkFileType,
  checkServerUrl,
  MAX_ALLOWED_TYPES,
  MAX_ATTACHMENT_BYTES,
  ROOT_ERROR_KEY,
  type SettingsValidation,
} from "./settings_rules.ts";

/** A problem at a field path (`attachments.maxBytes`), as thrown inside this module only. */
class Problem {
  constructor(readonly path: string, readonly message: string) {}
}

/**
 * Validates and normalizes settings from an untrusted source; never throws.
 * On failure `errors` holds the first problem found, keyed by field path.
 */
export function readSettings(input: unknown): SettingsValidation {
  try {
    return { ok: true, value: readDocument(input) };
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    return { ok: false, errors: { [error.path]: error.message } };
  }
}

function readDocument(input: unknown): ChatServerSettings {
  const fields = record(input, ROOT_ERROR_KEY, [
    "primary",
    "secondary",
    "attachments",
  ]);
  const primary = serverUrl(fields.primary, "primary", true);
  const secondary = serverUrl(fields.secondary, "secondary", false);
  if (secondary !== "" && secondary === primary) {
    throw new Problem(
      "secondary",
      "The secondary chat server must differ from the primary one.",
    );
  }
  const policy = record(fields.attachments, "attachments", [
    "enabled",
    "maxBytes",
    "allowedTypes",
  ]);
  if (typeof policy.enabled !== "boolean") {
    throw new Problem("attachments.enabled", "Expected true or false.");
  }
  const { maxBytes } = policy;
  if (
    !Number.isInteger(maxBytes) || (maxBytes as number) < 1 ||
    (maxBytes as number) > MAX_ATTACHMENT_BYTES
  ) {
    throw new Problem(
      "attachments.maxBytes",
      `Expected whole bytes from 1 to ${MAX_ATTACHMENT_BYTES}.`,
    );
  }
  return {
    primary,
    secondary,
    attachments: {
      enabled: policy.enabled,
      maxBytes: maxBytes as number,
      allowedTypes: fileTypes(policy.allowedTypes),
    },
  };
}

/**
 * A plain object with exactly `keys`: unknown keys are refused, as the
 * service refuses them, so a misspelt field is never silently lost.
 */
function record(
  input: unknown,
  path: string,
  keys: readonly string[],
): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new Problem(path, "Expected an object.");
  }
  const fields = input as Record<string, unknown>;
  for (const key of keys) {
    if (!Object.hasOwn(fields, key)) {
      throw new Problem(
        path === ROOT_ERROR_KEY ? key : `${path}.${key}`,
        "This setting is required.",
      );
    }
  }
  // `for…in`, as the service's schema: a key inherited from a hostile
  // prototype counts as unknown too.
  for (const key in fields) {
    if (!keys.includes(key)) throw new Problem(path, "Unknown setting.");
  }
  return fields;
}

function serverUrl(value: unknown, path: string, required: boolean): string {
  if (typeof value !== "string") throw new Problem(path, "Expected text.");
  if (!required && value.trim() === "") return "";
  const check = checkServerUrl(value);
  // The problem's name: the element only refuses, and shows its own words.
  if (!check.ok) throw new Problem(path, check.problem);
  return check.href;
}

function fileTypes(value: unknown): string[] {
  const path = "attachments.allowedTypes";
  if (!Array.isArray(value) || value.length > MAX_ALLOWED_TYPES) {
    throw new Problem(path, `Expected a list of at most ${MAX_ALLOWED_TYPES}.`);
  }
  const types = new Set<string>();
  // An index loop, not forEach: a hole in a sparse array is an entry too.
  for (let index = 0; index < value.length; index++) {
    const entry: unknown = value[index];
    const check = typeof entry === "string"
      ? checkFileType(entry)
      : { ok: false as const, problem: "Expected text." };
    if (!check.ok) throw new Problem(`${path}.${index}`, check.problem);
    types.add(check.type);
  }
  return [...types];
}
