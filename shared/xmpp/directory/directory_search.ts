// User directory search (XEP-0055) for the seed's "Add Contact" search box.
// The service is found through service discovery (XEP-0030): Prosody's
// mod_vjud answers on the host itself, ejabberd's vjud.<domain> is one of
// the host's disco items. The search form decides the shape: a data form
// (XEP-0055 §3, search_form.ts) when it has one, the legacy fields (§2.1,
// search_legacy.ts) otherwise. Debouncing belongs to the UI; every request
// here has a timeout and can be abandoned through an AbortSignal.
import { xml } from "@xmpp/xml";
import {
  asXmppError,
  DEFAULT_IQ_TIMEOUT_MS,
  type XmlElement,
  type XmppConnection,
} from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import {
  ParseError,
  StanzaError,
  TimeoutError,
  type XmppError,
} from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import {
  DIRECTORY_LIMITS,
  type DirectoryEntry,
  EntryCollector,
} from "./directory_entries.ts";
import { findSearchService, NoDirectoryError } from "./search_discovery.ts";
import {
  type FormSearch,
  formSearchRequests,
  parseFormResult,
  parseFormSearch,
} from "./search_form.ts";
import {
  legacySearchRequest,
  NS_SEARCH,
  parseSearchForm,
  parseSearchResult,
  type SearchField,
} from "./search_legacy.ts";

export {
  DIRECTORY_LIMITS,
  type DirectoryEntry,
  entryName,
} from "./directory_entries.ts";
export {
  NoDirectoryError,
  NS_DISCO_INFO,
  NS_DISCO_ITEMS,
} from "./search_discovery.ts";
export { NS_SEARCH, parseSearchResult, type SearchField };

export interface DirectoryOptions {
  /** A known search service JID; skips discovery. */
  readonly service?: string;
  /** Where discovery starts; default: the domain of the user's JID. */
  readonly domain?: string;
  /** Per request; a missing reply becomes a TimeoutError. */
  readonly timeoutMs?: number;
}

export interface SearchOptions {
  /** Abandons the search; the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Legacy fields (XEP-0055 §2.1) or a data form (§3). */
export type DirectoryService =
  | { readonly jid: string; readonly fields: readonly SearchField[] }
  | { readonly jid: string; readonly form: FormSearch };

export interface DirectorySearch {
  /** The service JID and how to search it, discovered once. */
  service(options?: SearchOptions): Promise<DirectoryService>;
  search(
    term: string,
    options?: SearchOptions,
  ): Promise<readonly DirectoryEntry[]>;
}

function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

/** The failure of a request to the directory, worded for the agent. */
function directoryFailure(error: XmppError, jid: string): XmppError {
  if (error instanceof TimeoutError) {
    return new TimeoutError(
      `The user directory (${jid}) did not answer in time. Try again, or type a full address (name@domain).`,
      { cause: error },
    );
  }
  if (error instanceof StanzaError) {
    return new StanzaError(
      error.condition,
      error.type,
      `The user directory (${jid}) refused the search (${error.condition}). Try again, or type a full address (name@domain).`,
      { cause: error, text: error.text },
    );
  }
  return error;
}

/** XEP-0055 §3: the data form if the search form has one, else §2.1. */
export function serviceFromForm(
  jid: string,
  answer: XmlElement,
): DirectoryService | undefined {
  const form = parseFormSearch(answer);
  if (form !== undefined) return { jid, form };
  const fields = parseSearchForm(answer);
  return fields.length === 0 ? undefined : { jid, fields };
}

export function createDirectorySearch(
  connection: XmppConnection,
  options: DirectoryOptions = {},
): DirectorySearch {
  const timeoutMs = options.timeoutMs ?? DEFAULT_IQ_TIMEOUT_MS;
  let discovered: Promise<DirectoryService> | undefined;

  function iq(request: XmlElement): Promise<XmlElement> {
    return connection.iq(request, timeoutMs);
  }

  async function discover(): Promise<DirectoryService> {
    const own = parseJid(connection.bareJid);
    const jid = options.service ?? await findSearchService(
      iq,
      options.domain ??
        (own instanceof ParseError ? connection.bareJid : own.domain),
    );
    // XEP-0055 §2.1, §3: ask the service how it is searched.
    let form: XmlElement;
    try {
      form = await iq(
        xml("iq", { type: "get", to: jid }, xml("query", { xmlns: NS_SEARCH })),
      );
    } catch (err) {
      throw directoryFailure(asXmppError(err), jid);
    }
    const found = serviceFromForm(jid, form);
    if (found === undefined) {
      throw new NoDirectoryError("feature-not-implemented");
    }
    return found;
  }

  function service(searchOptions: SearchOptions = {}) {
    if (discovered === undefined) {
      const attempt = discover();
      discovered = attempt;
      // A failed discovery is tried again on the next search.
      attempt.catch(() => {
        if (discovered === attempt) discovered = undefined;
      });
    }
    return abortable(discovered, searchOptions.signal);
  }

  async function legacySearch(
    found: { jid: string; fields: readonly SearchField[] },
    text: string,
    signal?: AbortSignal,
  ): Promise<DirectoryEntry[]> {
    let answer: XmlElement;
    try {
      answer = await abortable(
        iq(legacySearchRequest(found.jid, found.fields, text)),
        signal,
      );
    } catch (err) {
      if (signal?.aborted) throw err;
      throw directoryFailure(asXmppError(err), found.jid);
    }
    const entries = parseSearchResult(answer);
    if (entries instanceof ParseError) throw entries;
    return entries;
  }

  /**
   * One request per field and wording (search_form.ts); the people any of
   * them found. It fails only when every request failed: a service may
   * refuse one field or wording and still answer the others.
   */
  async function formSearch(
    target: { jid: string; form: FormSearch },
    text: string,
    signal?: AbortSignal,
  ): Promise<DirectoryEntry[]> {
    const answers = await abortable(
      Promise.allSettled(
        formSearchRequests(target.jid, target.form, text).map(iq),
      ),
      signal,
    );
    const entries = new EntryCollector();
    let usable = 0;
    let failure: XmppError | undefined;
    for (const answer of answers) {
      const found = answer.status === "fulfilled"
        ? parseFormResult(answer.value)
        : directoryFailure(asXmppError(answer.reason), target.jid);
      if (!Array.isArray(found)) {
        failure ??= found;
        continue;
      }
      usable++;
      for (const entry of found) entries.add(entry);
    }
    if (usable === 0 && failure !== undefined) throw failure;
    return entries.sorted();
  }

  return {
    service,
    async search(term, searchOptions = {}) {
      const text = cleanText(term, DIRECTORY_LIMITS.termLength);
      if (text.length < DIRECTORY_LIMITS.minTermLength) {
        // What mod_vjud itself answers for short fields (not-acceptable).
        // The search field never asks with less (search_model.ts `open`).
        throw new StanzaError("not-acceptable", "modify");
      }
      const found = await service(searchOptions);
      return "form" in found
        ? formSearch(found, text, searchOptions.signal)
        : legacySearch(found, text, searchOptions.signal);
    },
  };
}
