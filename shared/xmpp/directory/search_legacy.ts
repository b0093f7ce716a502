// XEP-0055 §2.1 search with the legacy fields (<first/>, <last/>, <nick/>,
// <email/>), as Prosody's mod_vjud offers and answers it.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import {
  buildEntry,
  type DirectoryEntry,
  EntryCollector,
  type EntryField,
} from "./directory_entries.ts";

export const NS_SEARCH = "jabber:iq:search";

/** XEP-0055 §2.1 fields we fill; a service may offer fewer. */
export type SearchField = "first" | "last" | "nick" | "email";
const FIELDS: readonly SearchField[] = ["first", "last", "nick", "email"];

/** The legacy fields the service's search form offers (XEP-0055 §2.1). */
export function parseSearchForm(answer: XmlElement): SearchField[] {
  const query = answer.getChild("query", NS_SEARCH);
  if (query === undefined) return [];
  return FIELDS.filter((field) => query.getChild(field) !== undefined);
}

/**
 * XEP-0055 §2.1 search request. Prosody's mod_vjud (prosody-notes.md)
 * ORs its fields and, in Debian's build, throws and never answers when
 * `email` is shorter than two characters: so every offered field gets the
 * whole term.
 */
export function legacySearchRequest(
  jid: string,
  fields: readonly SearchField[],
  term: string,
): XmlElement {
  return xml(
    "iq",
    { type: "set", to: jid },
    xml(
      "query",
      { xmlns: NS_SEARCH },
      ...fields.map((field) => xml(field, {}, term)),
    ),
  );
}

function isLegacyField(field: EntryField): field is SearchField {
  return (FIELDS as readonly string[]).includes(field);
}

/** XEP-0055 §2.1 result items: deduplicated by JID, cleaned, sorted by name. */
export function parseSearchResult(
  answer: XmlElement,
): DirectoryEntry[] | ParseError {
  const query = answer.getChild("query", NS_SEARCH);
  if (answer.attrs.type !== "result" || query === undefined) {
    return new ParseError("bad-search", "Not a search result.");
  }
  const entries = new EntryCollector();
  for (const item of query.getChildren("item")) {
    if (entries.done) break;
    entries.add(
      buildEntry(
        item.attrs.jid,
        (field) =>
          isLegacyField(field)
            ? item.getChildText(field) ?? undefined
            : undefined,
      ),
    );
  }
  return entries.sorted();
}
