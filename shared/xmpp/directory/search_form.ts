// XEP-0055 §3 search with a data form (XEP-0004), as ejabberd's vjud.<domain>
// offers it: the service's form names its fields (user, fn, first, middle,
// last, nick, …), a search is submitted as a `submit` form, and the answer is
// a `result` form with <reported/> columns and one <item/> per person.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { NS_DATA, parseDataForm, submitForm } from "./data_form.ts";
import {
  buildEntry,
  type DirectoryEntry,
  EntryCollector,
  type EntryField,
} from "./directory_entries.ts";
import { NS_SEARCH, parseSearchResult } from "./search_legacy.ts";

/**
 * The form fields that name a person, and the entry field each fills.
 * XEP-0055 §3's example offers first, last, nick and email; ejabberd adds
 * user (the JID's localpart) and fn (the vCard's full name).
 */
const NAME_FIELDS: ReadonlyMap<string, EntryField | undefined> = new Map([
  ["user", undefined],
  ["fn", "fullName"],
  ["first", "first"],
  ["last", "last"],
  ["nick", "nick"],
  ["email", "email"],
]);

/** Text fields a term can be typed into (XEP-0004 §3.3). */
const TEXT_TYPES: ReadonlySet<string> = new Set(["text-single", "text-multi"]);

export interface FormSearch {
  /** XEP-0068 §2: echoed back in every submission. */
  readonly formType?: string;
  /** The name fields the service's form offers, in NAME_FIELDS order. */
  readonly fields: readonly string[];
}

/**
 * The data-form search a search form offers, or undefined when the answer
 * has no data form (legacy fields only) or one without a name field.
 */
export function parseFormSearch(answer: XmlElement): FormSearch | undefined {
  const x = answer.getChild("query", NS_SEARCH)?.getChild("x", NS_DATA);
  if (x === undefined) return undefined;
  const form = parseDataForm(x);
  if (form instanceof ParseError || form.type !== "form") return undefined;
  const offered = new Set(
    form.fields.filter((field) => TEXT_TYPES.has(field.type)).map((field) =>
      field.var
    ),
  );
  const fields = [...NAME_FIELDS.keys()].filter((name) => offered.has(name));
  if (fields.length === 0) return undefined;
  return form.formType === undefined ? { fields } : {
    formType: form.formType,
    fields,
  };
}

/**
 * The submissions for one term. ejabberd requires every filled field to
 * match (AND), so each name field is asked on its own and the answers are
 * merged (OR), as mod_vjud does for the legacy fields. XEP-0055 defines no
 * wildcard: ejabberd's SQL backends read a trailing `*` as "starts with",
 * its default Mnesia backend matches whole values only; each field is asked
 * both ways so a whole name is found everywhere and a beginning where the
 * server can.
 */
export function formSearchRequests(
  jid: string,
  search: FormSearch,
  term: string,
): XmlElement[] {
  const values = new Set([term, term.endsWith("*") ? term : `${term}*`]);
  return search.fields.flatMap((field) =>
    [...values].map((value) =>
      xml(
        "iq",
        { type: "set", to: jid },
        xml(
          "query",
          { xmlns: NS_SEARCH },
          submitForm(new Map([[field, value]]), search.formType),
        ),
      )
    )
  );
}

/**
 * XEP-0055 §3 result: the `result` form's items (each with a `jid` field);
 * an answer without a form is read as legacy items (§2.1: an empty <query/>
 * means nobody matched).
 */
export function parseFormResult(
  answer: XmlElement,
): DirectoryEntry[] | ParseError {
  const query = answer.getChild("query", NS_SEARCH);
  const x = query?.getChild("x", NS_DATA);
  if (answer.attrs.type !== "result" || x === undefined) {
    return parseSearchResult(answer);
  }
  const form = parseDataForm(x);
  if (form instanceof ParseError) return form;
  if (form.type !== "result") {
    return new ParseError("bad-search", "Not a search result form.");
  }
  const entries = new EntryCollector();
  for (const item of form.items) {
    if (entries.done) break;
    const text = (name: string) => item.get(name)?.[0];
    entries.add(
      buildEntry(text("jid"), (field) => {
        for (const [name, filled] of NAME_FIELDS) {
          if (filled === field) return text(name);
        }
        return undefined;
      }),
    );
  }
  return entries.sorted();
}
