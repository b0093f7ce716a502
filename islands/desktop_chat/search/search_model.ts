// The seed's Search field as a model: what the drop-down shows while the
// agent types. The contact list filters itself on every keystroke; the user
// directory (XEP-0055) is asked only once typing pauses, and an answer to
// an earlier term is dropped, never shown over a later one.
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

export type SearchFunction = (
  term: string,
  options: SearchOptions,
) => Promise<readonly DirectoryEntry[]>;

export interface SearchModelOptions {
  /** DirectorySearch.search, or a stand-in in tests. */
  readonly search: SearchFunction;
  /** The agent's bare JID, left out of the results. */
  readonly ownJid: string;
  /** The roster, to mark people already added. */
  readonly contacts: ReadonlySignal<ReadonlyMap<string, unknown>>;
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

export interface SearchOption {
  readonly jid: string;
  /** First and last name, else nickname, else the JID. */
  readonly name: string;
  readonly inContacts: boolean;
  /** The address as typed, offered whatever the directory says. */
  readonly typed: boolean;
}

export const SEARCH_DELAY_MS = 250;

export const NO_DIRECTORY_MESSAGE =
  "Your chat server has no user directory. Type a full address (name@domain) to add someone.";

/** A directory whose search form has no field we can fill. */
export const UNSEARCHABLE_DIRECTORY_MESSAGE =
  "Your chat server's directory cannot be searched by name. Type a full address (name@domain) to add someone.";

export { entryName };

/** `text` when it is a full bare JID (name@domain), lower-cased. */
export function typedAddress(text: string): string | undefined {
  const jid = parseJid(text);
  if (jid instanceof ParseError) return undefined;
  return jid.local !== undefined && jid.resource === undefined
    ? jid.bare
    : undefined;
}

/**
 * The drop-down's options: the typed address first unless the directory
 * lists it, then the directory's people; never the agent.
 */
export function searchOptions(
  entries: readonly DirectoryEntry[],
  typed: string | undefined,
  ownJid: string,
  contacts: ReadonlyMap<string, unknown>,
): SearchOption[] {
  const listed = entries.filter((entry) => entry.jid !== ownJid);
  const options: SearchOption[] = listed.map((entry) => ({
    jid: entry.jid,
    name: entryName(entry),
    inContacts: contacts.has(entry.jid),
    typed: false,
  }));
  if (
    typed === undefined || typed === ownJid ||
    listed.some((entry) => entry.jid === typed)
  ) return options;
  return [
    { jid: typed, name: typed, inContacts: contacts.has(typed), typed: true },
    ...options,
  ];
}

function failureMessage(error: unknown): string {
  if (error instanceof NoDirectoryError) {
    return error.condition === "feature-not-implemented"
      ? UNSEARCHABLE_DIRECTORY_MESSAGE
      : NO_DIRECTORY_MESSAGE;
  }
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
  const dismissed = signal(false);
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
  const optionList = computed(() =>
    searchOptions(
      entries.value,
      typedAddress(query.value),
      options.ownJid,
      options.contacts.value,
    )
  );
  const open = computed(() =>
    !dismissed.value && query.value.length >= DIRECTORY_LIMITS.minTermLength
  );
  const active = computed(() =>
    optionList.value.findIndex((option) => option.jid === activeJid.value)
  );
  const message = computed((): string | undefined => {
    switch (status.value) {
      case "searching":
        return "Searching…";
      case "done":
        return entries.value.some((entry) => entry.jid !== options.ownJid)
          ? undefined
          : `No one in the directory matches “${query.value}”.`;
      case "failed":
        return error.value;
      case "no-directory":
        return noDirectory ?? NO_DIRECTORY_MESSAGE;
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
    dismissed.value = false;
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
    status: status as ReadonlySignal<SearchStatus>,
    options: optionList,
    open,
    /** Index into `options` of the active option, or -1. */
    active,
    /** The line above the options: progress, no match, or why it failed. */
    message,
    input,
    /** WAI-ARIA APG combobox: Down/Up move through the options, wrapping. */
    move(delta: 1 | -1): void {
      dismissed.value = false;
      const list = optionList.value;
      if (list.length === 0) return;
      const at = active.value;
      const next = at === -1
        ? (delta === 1 ? 0 : list.length - 1)
        : (at + delta + list.length) % list.length;
      activeJid.value = list[next].jid;
    },
    /** Hides the drop-down until the agent types or presses Down again. */
    close(): void {
      dismissed.value = true;
      activeJid.value = undefined;
    },
  };
});

export type SearchModel = InstanceType<typeof SearchModel>;
