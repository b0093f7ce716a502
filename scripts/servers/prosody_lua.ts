// Lua literals for Prosody's config file and its file storage. Prosody's
// datamanager writes `return { ... };` files (util/serialization.lua) and
// loads them back with `envloadfile` in an empty environment, so a plain
// table constructor is all a storage file may contain.

/** A Lua table: an array part (`{ "a", "b" }`) and a keyed part (`{ k = v }`). */
export interface LuaTable {
  readonly list?: readonly LuaValue[];
  readonly keyed?: ReadonlyArray<readonly [string | false, LuaValue]>;
}

export type LuaValue = string | number | boolean | LuaTable;

/** A table with only string keys, in the object's key order. */
export function luaRecord(
  record: Readonly<Record<string, LuaValue>>,
): LuaTable {
  return { keyed: Object.entries(record) };
}

/** A table used as a set: `{ ["a"] = true }` (how Prosody stores roster groups). */
export function luaSet(items: readonly string[]): LuaTable {
  return { keyed: items.map((item) => [item, true] as const) };
}

/**
 * A double-quoted Lua string. Lua strings are bytes, so UTF-8 text passes
 * through unchanged; control characters use the 3-digit `\ddd` escape so a
 * following digit can never be read as part of the escape (Lua 5.4 §3.1).
 */
export function luaString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\" || char === '"') out += "\\" + char;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) {
      out += "\\" + String(code).padStart(3, "0");
    } else out += char;
  }
  return out + '"';
}

export function luaLiteral(value: LuaValue, indent = ""): string {
  switch (typeof value) {
    case "string":
      return luaString(value);
    case "boolean":
      return String(value);
    case "number":
      if (!Number.isFinite(value)) {
        throw new RangeError(`Lua literal: not a finite number: ${value}`);
      }
      return String(value);
    default:
      return luaTableLiteral(value, indent);
  }
}

function luaTableLiteral(table: LuaTable, indent: string): string {
  const inner = indent + "\t";
  const lines = [
    ...(table.list ?? []).map((item) => luaLiteral(item, inner)),
    ...(table.keyed ?? []).map(([key, item]) =>
      `[${key === false ? "false" : luaString(key)}] = ${
        luaLiteral(item, inner)
      }`
    ),
  ];
  if (lines.length === 0) return "{}";
  return `{\n${lines.map((line) => `${inner}${line};\n`).join("")}${indent}}`;
}

/** The content of a Prosody storage file holding `value`. */
export function luaDataFile(value: LuaValue): string {
  return `return ${luaLiteral(value)};\n`;
}
