// The administrator's attachment policy (settings: enabled, maxBytes,
// allowedTypes) applied to one file: by the sender before a slot is
// requested, by the receiver before Accept is offered. A typed decision;
// the view words it.
import {
  type AttachmentPolicy,
  checkFileType,
} from "../../settings/settings_rules.ts";
import { plainMediaType } from "./file_metadata.ts";

export interface FileFacts {
  /** The sanitised name (file_name.ts); its extension is matched. */
  readonly name: string;
  /**
   * Bytes; undefined when the offer did not say (a bare oob link), whose
   * download the policy's maxBytes then bounds (transfer/downloader.ts).
   */
  readonly size?: number;
  /** MIME type as given; matched without parameters, case-insensitively. */
  readonly mediaType?: string;
}

export type PolicyDecision =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: "disabled" }
  | { readonly ok: false; readonly reason: "empty" }
  | {
    readonly ok: false;
    readonly reason: "too-large";
    readonly maxBytes: number;
  }
  | { readonly ok: false; readonly reason: "type-not-allowed" };

/** The extension matched against `.pdf` entries: lower-case, with its dot. */
export function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return name.slice(dot).toLowerCase();
}

// The media type is the sender's claim; the saved name's extension is
// what the agent's system acts on. A file allowed only by its media type
// must not carry one of these, or "image/*" would let "invoice.exe"
// through; listing the extension itself (".exe") still allows it.
// deno-fmt-ignore
const EXECUTABLE: ReadonlySet<string> = new Set([
  ".exe", ".com", ".bat", ".cmd", ".scr", ".pif", ".cpl", ".msi", ".msp",
  ".dll", ".lnk", ".hta", ".reg", ".ps1", ".psm1", ".vbs", ".vbe", ".js",
  ".jse", ".ws", ".wsf", ".wsh", ".msc", ".jar", ".sh", ".command", ".app",
  ".apk", ".dmg", ".pkg", ".deb", ".rpm", ".html", ".htm", ".xhtml",
  ".url", ".desktop", ".appimage",
]);

/**
 * Whether a file of `name` and `mediaType` is among `allowedTypes`: its
 * extension (`.pdf`), or its exact MIME type (`image/png`) or family
 * (`image/*`) when its extension is not an executable one. Entries are
 * normalised as the settings are (checkFileType), so a list that bypassed
 * the schema still matches alike.
 */
export function typeAllowed(
  allowedTypes: readonly string[],
  name: string,
  mediaType: string | undefined,
): boolean {
  const extension = extensionOf(name);
  const type = plainMediaType(mediaType);
  const family = type === undefined ? undefined : `${type.split("/")[0]}/*`;
  const byType = extension === undefined || !EXECUTABLE.has(extension);
  return allowedTypes.some((entry) => {
    const check = checkFileType(entry);
    if (!check.ok) return false;
    if (check.type === extension) return true;
    return byType && (check.type === type || check.type === family);
  });
}

export function checkAgainstPolicy(
  policy: AttachmentPolicy,
  file: FileFacts,
): PolicyDecision {
  if (!policy.enabled) return { ok: false, reason: "disabled" };
  if (file.size === 0) return { ok: false, reason: "empty" };
  if (file.size !== undefined && file.size > policy.maxBytes) {
    return { ok: false, reason: "too-large", maxBytes: policy.maxBytes };
  }
  if (!typeAllowed(policy.allowedTypes, file.name, file.mediaType)) {
    return { ok: false, reason: "type-not-allowed" };
  }
  return { ok: true };
}
