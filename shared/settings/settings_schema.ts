// The chat-server settings an administrator saves and every agent's desktop
// reads, as the schema the service enforces on save and the admin page
// checks its form with. Built on the checks of settings_rules.ts; depends on
// valibot only, which the desktop element does without (settings_reader.ts).
import * as v from "valibot";
import {
  type ChatServerSettings,
  checkFileType,
  checkServerUrl,
  defaultSettings,
  MAX_ALLOWED_TYPES,
  MAX_ATTACHMENT_BYTES,
  ROOT_ERROR_KEY,
  type SettingsErrors,
  type SettingsValidation,
} from "./settings_rules.ts";
import { fileTypeMessage, serverUrlMessage } from "./settings_messages.ts";

// Re-exported so the service and the admin page keep one import for settings.
export * from "./settings_rules.ts";

export const DEFAULT_SETTINGS: Readonly<ChatServerSettings> = deepFreeze(
  defaultSettings(),
);

function serverUrl(required: boolean) {
  return v.pipe(
    v.string("Enter the URL as text."),
    v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
      if (!required && dataset.value.trim() === "") return "";
      const check = checkServerUrl(dataset.value);
      if (check.ok) return check.href;
      addIssue({ message: serverUrlMessage(check) });
      return NEVER;
    }),
  );
}

const fileType = v.pipe(
  v.string("Each allowed type must be text, such as .pdf or image/png."),
  v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
    const check = checkFileType(dataset.value);
    if (check.ok) return check.type;
    addIssue({ message: fileTypeMessage(check.problem) });
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
