// What the form shows (text the administrator types) against what the API
// stores (ChatServerSettings), and API error keys against form fields.
import {
  type ChatServerSettings,
  type SettingsErrors,
  validateSettings,
} from "../../shared/settings/settings_schema.ts";

export const SIZE_UNITS = {
  KB: 1024,
  MB: 1024 * 1024,
} as const;

export type SizeUnit = keyof typeof SIZE_UNITS;

export function isSizeUnit(value: string): value is SizeUnit {
  return Object.hasOwn(SIZE_UNITS, value);
}

export interface SettingsFormValues {
  primary: string;
  secondary: string;
  attachmentsEnabled: boolean;
  /** A number in `maxSizeUnit`, as typed. */
  maxSize: string;
  maxSizeUnit: SizeUnit;
  /** Comma-separated extensions and MIME types, as typed. */
  allowedTypes: string;
}

export type FieldName = keyof SettingsFormValues;

export type FieldErrors = Partial<Record<FieldName, string>>;

export type FormValidation =
  | { ok: true; settings: ChatServerSettings }
  | { ok: false; fields: FieldErrors; general: string | null };

/** Fields in the order they appear, so the first invalid one can take focus. */
export const FIELD_ORDER: readonly FieldName[] = [
  "primary",
  "secondary",
  "attachmentsEnabled",
  "maxSize",
  "maxSizeUnit",
  "allowedTypes",
];

export function formValuesOf(settings: ChatServerSettings): SettingsFormValues {
  const { maxBytes } = settings.attachments;
  // The largest unit that shows the size as a whole number, as it was typed.
  const maxSizeUnit: SizeUnit = maxBytes % SIZE_UNITS.MB === 0 ? "MB" : "KB";
  return {
    primary: settings.primary,
    secondary: settings.secondary,
    attachmentsEnabled: settings.attachments.enabled,
    maxSize: formatNumber(maxBytes / SIZE_UNITS[maxSizeUnit]),
    maxSizeUnit,
    allowedTypes: settings.attachments.allowedTypes.join(", "),
  };
}

export function sameValues(
  a: SettingsFormValues,
  b: SettingsFormValues,
): boolean {
  return FIELD_ORDER.every((field) => a[field] === b[field]);
}

/**
 * Checks the form with the schema the API uses, for instant feedback; the
 * API's 422 still decides.
 */
export function validateForm(values: SettingsFormValues): FormValidation {
  const types = splitTypes(values.allowedTypes);
  const maxBytes = parseSize(values.maxSize, values.maxSizeUnit);
  const validation = validateSettings({
    primary: values.primary,
    secondary: values.secondary,
    attachments: {
      enabled: values.attachmentsEnabled,
      // A placeholder that passes, so the schema still checks everything else.
      maxBytes: maxBytes ?? 1,
      allowedTypes: types,
    },
  });
  const { fields, general } = validation.ok
    ? { fields: {}, general: null }
    : fieldErrorsOf(validation.errors, types);
  if (maxBytes === undefined) {
    fields.maxSize = "Enter the maximum size as a number, such as 10.";
  }
  if (validation.ok && maxBytes !== undefined) {
    return { ok: true, settings: validation.value };
  }
  return { ok: false, fields, general };
}

/** Maps API error keys (`attachments.allowedTypes.2`) to form fields; the rest is general. */
export function fieldErrorsOf(
  errors: SettingsErrors,
  types: readonly string[],
): { fields: FieldErrors; general: string | null } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const [key, message] of Object.entries(errors)) {
    const field = FIELD_OF_KEY[key];
    const entry = /^attachments\.allowedTypes\.(\d+)$/.exec(key);
    if (field !== undefined) {
      fields[field] ??= message;
    } else if (entry !== null) {
      const type = types[Number(entry[1])];
      fields.allowedTypes ??= type === undefined
        ? message
        : `"${type}": ${message}`;
    } else {
      general.push(message);
    }
  }
  return { fields, general: general.length > 0 ? general.join(" ") : null };
}

const FIELD_OF_KEY: Readonly<Record<string, FieldName>> = {
  primary: "primary",
  secondary: "secondary",
  "attachments.enabled": "attachmentsEnabled",
  "attachments.maxBytes": "maxSize",
  "attachments.allowedTypes": "allowedTypes",
};

export function splitTypes(text: string): string[] {
  return text.split(",").map((type) => type.trim()).filter((type) =>
    type !== ""
  );
}

/** Bytes for a size such as `1.5` MB, or `undefined` when it is not a plain number. */
export function parseSize(text: string, unit: SizeUnit): number | undefined {
  const trimmed = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return undefined;
  // Whole bytes: 1.5 KB is 1536, 0.3 KB rounds to 307.
  return Math.round(Number(trimmed) * SIZE_UNITS[unit]);
}

// Four decimals keep any whole number of bytes exact through parseSize's rounding.
function formatNumber(value: number): string {
  return String(+value.toFixed(4));
}
