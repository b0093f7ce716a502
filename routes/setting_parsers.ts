// Parsers for the administrator's settings in the environment. Each throws
// AdminAuthConfigError naming the setting, so a bad value stops the service
// at start-up with a line saying what to fix.

export type Env = Readonly<Record<string, string | undefined>>;

export class AdminAuthConfigError extends Error {
  constructor(readonly setting: string, readonly detail: string) {
    super(`${setting}: ${detail}`);
    this.name = "AdminAuthConfigError";
  }
}

export function parseFlag(setting: string, value: string | undefined): boolean {
  const text = (value ?? "").trim().toLowerCase();
  if (["", "0", "false", "no", "off"].includes(text)) return false;
  if (["1", "true", "yes", "on"].includes(text)) return true;
  throw new AdminAuthConfigError(
    setting,
    "expected 1/true/yes/on or 0/false/no/off",
  );
}

/** A whole number from `min` to `max`; `fallback` when unset or empty. */
export function parseInteger(
  setting: string,
  value: string | undefined,
  range: { readonly min: number; readonly max: number; fallback: number },
): number {
  const text = (value ?? "").trim();
  if (text === "") return range.fallback;
  const number = /^\d{1,9}$/.test(text) ? Number(text) : NaN;
  if (!(number >= range.min && number <= range.max)) {
    throw new AdminAuthConfigError(
      setting,
      `expected a whole number from ${range.min} to ${range.max}, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return number;
}

/** Items separated by commas or white space; empty items are dropped. */
export function parseList(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).filter((item) => item !== "");
}
