// User directory search (XEP-0055) for the seed's "Add Contact" search box.
// The service is found through service discovery (XEP-0030): Prosody's
// mod_vjud answers on the host itself, a component would be one of the
// host's disco items. Debouncing belongs to the UI; every request here has
// a timeout and can be abandoned through an AbortSignal.
import { xml } from "@xmpp/xml";
import {
  asXmppError,
  DEFAULT_IQ_TIMEOUT_MS,
  type XmlElement,
  type XmppConnection,
} from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError, StanzaError } from "../core/errors.ts";
import { parseBareJid, parseJid } from "../core/jid_parse.ts";

export const NS_SEARCH = "jabber:iq:search";
export const NS_DISCO_INFO = "http://jabber.org/protocol/disco#info";
export const NS_DISCO_ITEMS = "http://jabber.org/protocol/disco#items";

/** XEP-0055 §2.1 fields we fill; a service may offer fewer. */
export type SearchField = "first" | "last" | "nick" | "email";
const FIELDS: readonly SearchField[] = ["first", "last", "nick", "email"];

export interface DirectoryEntry {
  readonly jid: string;
  readonly first?: string;
  readonly last?: string;
  readonly nick?: string;
  readonly email?: string;
}

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

export interface DirectorySearch {
  /** The service JID and the fields it takes, discovered once. */
  service(options?: SearchOptions): Promise<DirectoryService>;
  search(
    term: string,
    options?: SearchOptions,
  ): Promise<readonly DirectoryEntry[]>;
}

export interface DirectoryService {
  readonly jid: string;
  readonly fields: readonly SearchField[];
}

/**
 * The server has no user directory we can use: none advertised
 * (service-unavailable), or one that takes none of the XEP-0055 fields
 * (feature-not-implemented). The agent can still add a contact by address.
 */
export class NoDirectoryError extends StanzaError {
  constructor(
    condition: "service-unavailable" | "feature-not-implemented",
    message: string,
  ) {
    super(condition, "cancel", message);
    this.name = "NoDirectoryError";
  }
}

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

/** XEP-0030 §3.1 features of `jid`. */
function features(info: XmlElement): Set<string> {
  const query = info.getChild("query", NS_DISCO_INFO);
  return new Set(
    (query?.getChildren("feature") ?? [])
      .map((feature) => feature.attrs.var)
      .filter((name): name is string => name !== undefined),
  );
}

/** XEP-0055 §2.1: the fields the service's search form offers. */
export function parseSearchForm(answer: XmlElement): SearchField[] {
  const query = answer.getChild("query", NS_SEARCH);
  if (query === undefined) return [];
  return FIELDS.filter((field) => query.getChild(field) !== undefined);
}

function fieldText(item: XmlElement, field: SearchField): string | undefined {
  const text = cleanText(
    item.getChildText(field) ?? "",
    DIRECTORY_LIMITS.fieldLength,
  );
  return text === "" ? undefined : text;
}

function entryName(entry: DirectoryEntry): string {
  return [entry.first, entry.last].filter(Boolean).join(" ") ||
    (entry.nick ?? entry.jid);
}

/** XEP-0055 §2.1 result items: deduplicated by JID, cleaned, sorted by name. */
export function parseSearchResult(
  answer: XmlElement,
): DirectoryEntry[] | ParseError {
  const query = answer.getChild("query", NS_SEARCH);
  if (answer.attrs.type !== "result" || query === undefined) {
    return new ParseError("bad-search", "Not a search result.");
  }
  const byJid = new Map<string, DirectoryEntry>();
  for (const item of query.getChildren("item")) {
    if (byJid.size === DIRECTORY_LIMITS.results) break;
    const jid = parseBareJid(item.attrs.jid);
    if (jid instanceof ParseError || byJid.has(jid)) continue;
    const entry: { -readonly [K in keyof DirectoryEntry]: DirectoryEntry[K] } =
      { jid };
    for (const field of FIELDS) {
      const text = fieldText(item, field);
      if (text !== undefined) entry[field] = text;
    }
    byJid.set(jid, entry);
  }
  return [...byJid.values()].sort((a, b) =>
    collator.compare(entryName(a), entryName(b)) ||
    (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0)
  );
}

/**
 * XEP-0055 §2.1 search request. Prosody's mod_vjud (prosody-notes.md)
 * ORs its fields and, in Debian's build, throws and never answers when
 * `email` is shorter than two characters: so every offered field gets the
 * whole term.
 */
export function searchRequest(
  service: DirectoryService,
  term: string,
): XmlElement {
  return xml(
    "iq",
    { type: "set", to: service.jid },
    xml(
      "query",
      { xmlns: NS_SEARCH },
      ...service.fields.map((field) => xml(field, {}, term)),
    ),
  );
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

  function info(jid: string): Promise<XmlElement> {
    return iq(
      xml(
        "iq",
        { type: "get", to: jid },
        xml("query", { xmlns: NS_DISCO_INFO }),
      ),
    );
  }

  async function findService(): Promise<string> {
    if (options.service !== undefined) return options.service;
    const own = parseJid(connection.bareJid);
    const domain = options.domain ??
      (own instanceof ParseError ? connection.bareJid : own.domain);
    // XEP-0030 §3.1 on the host first: mod_vjud registers there.
    if (features(await info(domain)).has(NS_SEARCH)) return domain;
    // XEP-0030 §4.1: then the host's items, e.g. a vjud component.
    const items = await iq(
      xml(
        "iq",
        { type: "get", to: domain },
        xml("query", { xmlns: NS_DISCO_ITEMS }),
      ),
    );
    const candidates = (items.getChild("query", NS_DISCO_ITEMS)
      ?.getChildren("item") ?? [])
      .map((item) => item.attrs.jid)
      .filter((jid): jid is string =>
        jid !== undefined && !(parseJid(jid) instanceof ParseError)
      )
      .slice(0, DIRECTORY_LIMITS.itemsProbed);
    // An item that errs or times out is simply not a directory.
    const answers = await Promise.allSettled(candidates.map(info));
    const index = answers.findIndex((answer) =>
      answer.status === "fulfilled" && features(answer.value).has(NS_SEARCH)
    );
    if (index === -1) {
      throw new NoDirectoryError(
        "service-unavailable",
        "This chat server has no user directory; add contacts by address.",
      );
    }
    return candidates[index];
  }

  async function discover(): Promise<DirectoryService> {
    const jid = await findService();
    // XEP-0055 §2.1: ask the service which fields it takes.
    let form: XmlElement;
    try {
      form = await iq(
        xml("iq", { type: "get", to: jid }, xml("query", { xmlns: NS_SEARCH })),
      );
    } catch (err) {
      const error = asXmppError(err);
      if (
        error instanceof StanzaError &&
        (error.condition === "service-unavailable" ||
          error.condition === "feature-not-implemented")
      ) {
        throw new NoDirectoryError(
          error.condition,
          "This chat server has no user directory; add contacts by address.",
        );
      }
      throw error;
    }
    const fields = parseSearchForm(form);
    if (fields.length === 0) {
      throw new NoDirectoryError(
        "feature-not-implemented",
        "This chat server's directory cannot be searched here; add contacts by address.",
      );
    }
    return { jid, fields };
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

  return {
    service,
    async search(term, searchOptions = {}) {
      const text = cleanText(term, DIRECTORY_LIMITS.termLength);
      if (text.length < DIRECTORY_LIMITS.minTermLength) {
        // What mod_vjud itself answers for short fields (not-acceptable).
        throw new StanzaError(
          "not-acceptable",
          "modify",
          `Type at least ${DIRECTORY_LIMITS.minTermLength} characters to search.`,
        );
      }
      const found = await service(searchOptions);
      const answer = await abortable(
        iq(searchRequest(found, text)),
        searchOptions.signal,
      );
      const entries = parseSearchResult(answer);
      if (entries instanceof ParseError) throw entries;
      return entries;
    },
  };
}
