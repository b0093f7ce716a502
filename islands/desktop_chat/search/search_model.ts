// The seed's Search field as a model: what the Directory section under the
// filtered contact list shows while the agent types. The contact list
// filters itself on every keystroke; the user directory (XEP-0055) is asked
// only once typing pauses, and an answer to an earlier term is dropped,
// never shown over a later one. People the filtered list already shows are
// left out, so no one is listed twice, and there is one empty state for both.
import {
  batch,
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
} from "@preact/signals";
import {
  DIRECTORY_LIMITS,
  type DirectoryEntry,
  entryName,
  NoDirectoryError,
  type SearchOptions,
} from "../../../shared/xmpp/directory/directory_search.ts";
import { cleanText } from "../../../shared/xmpp/core/display_text.ts";
import { ParseError, XmppError } from "../../../shared/xmpp/core/errors.ts";
import { parseJid } from "../../../shared/xmpp/core/jid_parse.ts";
import type { Person } from "../../../shared/xmpp/identity/person.ts";

export type SearchFunction = (
  term: string,
  options: SearchOptions,
) => Promise<readonly DirectoryEntry[]>;

export interface SearchModelOptions {
  /** DirectorySearch.search, or a stand-in in tests. */
  readonly search: SearchFunction;
  /** The agent's bare JID, left out of the results. */
  readonly ownJid: string;
  /**
   * Who a result is (identity/people.ts personOf, which reads the roster's
   * signals, so the options follow it): the directory's name is only a
   * non-contact's claim.
   */
  readonly identify: Identify;
  /** Bare JIDs the filtered contact list shows for the current term. */
  readonly listed: ReadonlySignal<ReadonlySet<string>>;
  /** The pause in typing before the directory is asked. */
  readonly delayMs?: number;
}

/** idle: nothing to search; searching: waiting for the pause or the answer. */
export type SearchStatus =
  | "idle"
  | "searching"
  | "done"
  | "failed"
  | "no-directory";

/** Who `jid` is, given the name the directory has for them. */
export type Identify = (jid: string, claim?: string) => Person;

export interface SearchOption {
  readonly jid: string;
  /**
   * The primary line (issue 14): a contact's display name; anyone else's
   * address — the directory's name for them is their claim (`person`).
   */
  readonly name: string;
  readonly person: Person;
  readonly inContacts: boolean;
  /** The address as typed, offered whatever the directory says. */
  readonly typed: boolean;
}

export const SEARCH_DELAY_MS = 250;

export { entryName };

/** `text` when it is a full bare JID (name@domain), lower-cased. */
export function typedAddress(text: string): string | undefined {
  // No "@", no local part: not worth a parse (and its error) per keystroke
  // or per change of the lists the Directory section reads.
  if (!text.includes("@")) return undefined;
  const jid = parseJid(text);
  if (jid instanceof ParseError) return undefined;
  return jid.local !== undefined && jid.resource === undefined
    ? jid.bare
    : undefined;
}

/**
 * The Directory section's options: the typed address first unless the
 * directory lists it, then the directory's people; never the agent, and no
 * one the filtered contact list above already shows (`shown`).
 */
export function searchOptions(
  entries: readonly DirectoryEntry[],
  typed: string | undefined,
  ownJid: string,
  shown: ReadonlySet<string>,
  identify: Identify,
): SearchOption[] {
  const listed = entries.filter((entry) => entry.jid !== ownJid);
  const option = (jid: string, typed: boolean, claim?: string) => {
    const person = identify(jid, claim);
    return {
      jid,
      name: person.name,
      person,
      inContacts: person.contact,
      typed,
    };
  };
  const options: SearchOption[] = listed.filter((entry) =>
    !shown.has(entry.jid)
  ).map((entry) => option(entry.jid, false, entryName(entry)));
  if (
    typed === undefined || typed === ownJid || shown.has(typed) ||
    listed.some((entry) => entry.jid === typed)
  ) return options;
  return [option(typed, true), ...options];
}

/**
 * The one empty state of a search, for contacts and directory together;
 * undefined while anything is shown or the directory is still being asked.
 */
export function searchEmptyText(
  query: string,
  status: SearchStatus,
  options: number,
  listed: number,
): string | undefined {
  if (query === "" || options > 0 || listed > 0) return undefined;
  if (status === "searching") return undefined;
  return status === "done"
    ? `No contacts or directory entries match “${query}”.`
    : `No contacts match “${query}”.`;
}

/** Typed errors say it for the agent (NoDirectoryError what to do instead). */
function failureMessage(error: unknown): string {
  return error instanceof XmppError
    ? error.message
    : "The directory search failed. Try again.";
}

export const SearchModel = createModel((options: SearchModelOptions) => {
  const delayMs = options.delayMs ?? SEARCH_DELAY_MS;
  const term = signal("");
  const status = signal<SearchStatus>("idle");
  const entries = signal<readonly DirectoryEntry[]>([]);
  const error = signal<string | undefined>(undefined);
  const activeJid = signal<string | undefined>(undefined);
  // A server without a directory keeps lacking one for the session: no
  // more discovery round trips on every pause in typing.
  let noDirectory: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let generation = 0;
  let asked: string | undefined;

  /** Drops the pending search and makes any answer still coming stale. */
  function cancel(): void {
    generation++;
    clearTimeout(timer);
    timer = undefined;
    controller?.abort();
    controller = undefined;
    asked = undefined;
  }
  // Its cleanup runs when the model is disposed.
  effect(() => cancel);

  const query = computed(() =>
    cleanText(term.value, DIRECTORY_LIMITS.termLength)
  );
  const { listed } = options;
  const optionList = computed(() =>
    searchOptions(
      entries.value,
      typedAddress(query.value),
      options.ownJid,
      listed.value,
      options.identify,
    )
  );
  const open = computed(() =>
    query.value.length >= DIRECTORY_LIMITS.minTermLength
  );
  const empty = computed(() =>
    searchEmptyText(
      query.value,
      status.value,
      optionList.value.length,
      listed.value.size,
    )
  );
  const active = computed(() =>
    optionList.value.findIndex((option) => option.jid === activeJid.value)
  );
  const note = computed((): string | undefined => {
    switch (status.value) {
      case "searching":
        return "Searching the directory…";
      case "done":
        return undefined;
      case "failed":
        return error.value;
      case "no-directory":
        return noDirectory;
      case "idle":
        return undefined;
    }
  });

  async function ask(text: string, id: number): Promise<void> {
    const abort = new AbortController();
    controller = abort;
    try {
      const found = await options.search(text, { signal: abort.signal });
      if (id !== generation) return;
      batch(() => {
        entries.value = found;
        error.value = undefined;
        status.value = "done";
      });
    } catch (err) {
      if (id !== generation) return;
      asked = undefined;
      const text = failureMessage(err);
      if (err instanceof NoDirectoryError) noDirectory = text;
      batch(() => {
        entries.value = [];
        error.value = text;
        status.value = noDirectory === undefined ? "failed" : "no-directory";
      });
    } finally {
      if (controller === abort) controller = undefined;
    }
  }

  function input(text: string): void {
    term.value = text;
    activeJid.value = undefined;
    const cleaned = query.value;
    // A space typed after a word changes nothing worth a new request.
    if (cleaned === asked) return;
    cancel();
    if (cleaned.length < DIRECTORY_LIMITS.minTermLength) {
      entries.value = [];
      error.value = undefined;
      status.value = "idle";
      return;
    }
    if (noDirectory !== undefined) {
      status.value = "no-directory";
      return;
    }
    // Earlier results stay until the answer comes, so the list does not
    // blink on every keystroke.
    status.value = "searching";
    asked = cleaned;
    const id = generation;
    timer = setTimeout(() => {
      timer = undefined;
      void ask(cleaned, id);
    }, delayMs);
  }

  return {
    term: term as ReadonlySignal<string>,
    /** The term as the directory and the messages see it. */
    query,
    status: status as ReadonlySignal<SearchStatus>,
    options: optionList,
    /** The term is long enough for the directory to be asked. */
    open,
    /** Index into `options` of the active option, or -1. */
    active,
    /** The Directory section's line: progress, or why it cannot search. */
    note,
    /** The one empty state when neither contacts nor directory match. */
    empty,
    input,
    /** WAI-ARIA APG combobox: Down/Up move through the options, wrapping. */
    move(delta: 1 | -1): void {
      const list = optionList.value;
      if (list.length === 0) return;
      const at = active.value;
      const next = at === -1
        ? (delta === 1 ? 0 : list.length - 1)
        : (at + delta + list.length) % list.length;
      activeJid.value = list[next].jid;
    },
    /** Focus left the field: no option stays active (APG combobox). */
    blur(): void {
      activeJid.value = undefined;
    },
  };
});

export type SearchModel = InstanceType<typeof SearchModel>;
