// The people a directory search found, whichever shape the service answered
// in (XEP-0055 §2.1 legacy items or §3 data-form items): one entry per bare
// JID, every field cleaned and bounded, sorted by the name the agent sees.
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";

export interface DirectoryEntry {
  readonly jid: string;
  readonly first?: string;
  readonly last?: string;
  readonly nick?: string;
  readonly email?: string;
  /** The vCard's FN (data-form `fn`), when the service reports it. */
  readonly fullName?: string;
}

/** What an entry holds besides its JID. */
export type EntryField = Exclude<keyof DirectoryEntry, "jid">;
export const ENTRY_FIELDS: readonly EntryField[] = [
  "first",
  "last",
  "nick",
  "email",
  "fullName",
];

export const DIRECTORY_LIMITS = {
  /** mod_vjud ignores shorter fields (and errs when all are shorter). */
  minTermLength: 2,
  termLength: 128,
  fieldLength: 256,
  results: 100,
  /** Disco items of the domain probed for a search service. */
  itemsProbed: 20,
} as const;

const collator = new Intl.Collator(undefined, {
  sensitivity: "base",
  numeric: true,
});

/** First and last name, else the full name, else the nickname, else the JID. */
export function entryName(entry: DirectoryEntry): string {
  return [entry.first, entry.last].filter(Boolean).join(" ") ||
    (entry.fullName ?? entry.nick ?? entry.jid);
}

/**
 * One entry from a raw JID and a reader of raw field text; undefined when
 * the JID is not a valid bare JID.
 */
export function buildEntry(
  rawJid: string | undefined,
  read: (field: EntryField) => string | undefined,
): DirectoryEntry | undefined {
  const jid = parseBareJid(rawJid ?? "");
  if (jid instanceof ParseError) return undefined;
  const entry: { -readonly [K in keyof DirectoryEntry]: DirectoryEntry[K] } = {
    jid,
  };
  for (const field of ENTRY_FIELDS) {
    const text = cleanText(read(field) ?? "", DIRECTORY_LIMITS.fieldLength);
    if (text !== "") entry[field] = text;
  }
  return entry;
}

/**
 * Collects entries by JID, first seen wins, at most
 * DIRECTORY_LIMITS.results; `done` tells the caller to stop reading.
 */
export class EntryCollector {
  readonly #byJid = new Map<string, DirectoryEntry>();

  get done(): boolean {
    return this.#byJid.size >= DIRECTORY_LIMITS.results;
  }

  add(entry: DirectoryEntry | undefined): void {
    if (entry === undefined || this.done || this.#byJid.has(entry.jid)) return;
    this.#byJid.set(entry.jid, entry);
  }

  sorted(): DirectoryEntry[] {
    return [...this.#byJid.values()].sort((a, b) =>
      collator.compare(entryName(a), entryName(b)) ||
      (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0)
    );
  }
}
