// jabber:iq:roster results and pushes (RFC 6121 §2.1) into typed items.
// Returns data or a ParseError and never throws: a hostile or broken server
// can send anything, and one bad item must not cost the agent the others.
import { cleanText } from "../core/display_text.ts";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";

export const NS_ROSTER = "jabber:iq:roster";

/** RFC 6121 §2.1.2.5; "remove" only ever appears in a push or a set. */
export type Subscription = "none" | "to" | "from" | "both";

export interface RosterItem {
  /** Bare JID, lower-case: the contact's key. */
  readonly jid: string;
  readonly name?: string;
  /** Trimmed, deduplicated, never empty strings, in wire order. */
  readonly groups: readonly string[];
  readonly subscription: Subscription;
  /** RFC 6121 §2.1.2.2: our subscription request is pending. */
  readonly ask?: "subscribe";
  /** RFC 6121 §3.4: we pre-approved the contact's subscription. */
  readonly approved?: true;
}

export type PushedRosterItem =
  | RosterItem
  | { readonly jid: string; readonly subscription: "remove" };

export interface RosterResult {
  readonly items: readonly RosterItem[];
  /** RFC 6121 §2.6 roster version, when the server keeps one. */
  readonly ver?: string;
}

export interface RosterPush {
  readonly item: PushedRosterItem;
  readonly ver?: string;
}

/**
 * Generous limits: RFC 6121 §2.3.3 lets a server refuse long names and
 * groups, and IM&P's are far shorter. Longer values are cut, not refused, so
 * the contact still shows; an edit then writes the cut value back.
 */
export const ROSTER_LIMITS = {
  nameLength: 256,
  groupLength: 128,
  groupsPerItem: 64,
  items: 20_000,
} as const;

const SUBSCRIPTIONS: ReadonlySet<string> = new Set([
  "none",
  "to",
  "from",
  "both",
  "remove",
]);

export function parseRosterItem(
  element: XmlElement,
): PushedRosterItem | ParseError {
  if (!element.is("item", NS_ROSTER)) {
    return new ParseError("bad-item");
  }
  const jid = parseBareJid(element.attrs.jid);
  if (jid instanceof ParseError) return jid;
  const subscription = element.attrs.subscription ?? "none";
  if (!SUBSCRIPTIONS.has(subscription)) {
    return new ParseError("bad-subscription");
  }
  if (subscription === "remove") return { jid, subscription: "remove" };
  const name = cleanText(element.attrs.name ?? "", ROSTER_LIMITS.nameLength);
  return {
    jid,
    ...(name === "" ? {} : { name }),
    groups: parseGroups(element),
    subscription: subscription as Subscription,
    // RFC 6121 §2.1.2.2: "subscribe" is the only defined value.
    ...(element.attrs.ask === "subscribe" ? { ask: "subscribe" } : {}),
    ...(element.attrs.approved === "true" || element.attrs.approved === "1"
      ? { approved: true }
      : {}),
  };
}

function parseGroups(item: XmlElement): string[] {
  const groups = new Set<string>();
  for (const child of item.children) {
    if (groups.size === ROSTER_LIMITS.groupsPerItem) break;
    if (typeof child === "string" || !child.is("group", NS_ROSTER)) continue;
    // RFC 6121 §2.3.3: a server refuses an empty group, so it is not one.
    const group = cleanText(child.text(), ROSTER_LIMITS.groupLength);
    if (group !== "") groups.add(group);
  }
  return [...groups];
}

function rosterQuery(iq: XmlElement): XmlElement | ParseError {
  const query = iq.getChild("query", NS_ROSTER);
  if (!iq.is("iq") || query === undefined) {
    return new ParseError("bad-roster", "Not a roster query.");
  }
  return query;
}

function version(query: XmlElement): { ver?: string } {
  const ver = query.attrs.ver;
  return ver === undefined || ver.length > 1024 ? {} : { ver };
}

/** The answer to a roster get (RFC 6121 §2.1.4). */
export function parseRosterResult(iq: XmlElement): RosterResult | ParseError {
  if (iq.attrs.type !== "result") {
    return new ParseError("bad-roster", "Roster answer is not a result.");
  }
  const query = rosterQuery(iq);
  // RFC 6121 §2.6.3: with versioning an empty result means "unchanged";
  // we never send a ver, so an empty result is an empty roster.
  if (query instanceof ParseError) {
    return iq.children.length === 0 ? { items: [] } : query;
  }
  // An unusable item is skipped (a remove has no place in a result), so
  // one bad item does not cost the agent the others; past the limit the
  // rest are not shown.
  const byJid = new Map<string, RosterItem>();
  for (const child of query.getChildElements()) {
    if (byJid.size === ROSTER_LIMITS.items) break;
    const item = parseRosterItem(child);
    if (!(item instanceof ParseError) && item.subscription !== "remove") {
      byJid.set(item.jid, item);
    }
  }
  return { items: [...byJid.values()], ...version(query) };
}

/**
 * A roster push: an iq set with exactly one item (RFC 6121 §2.1.6). A bad
 * push is answered bad-request and kept by its condition alone (the
 * store's lastRejectedPush), as is a bad item, which a result skips.
 */
export function parseRosterPush(iq: XmlElement): RosterPush | ParseError {
  if (iq.attrs.type !== "set") {
    return new ParseError("bad-push");
  }
  const query = rosterQuery(iq);
  if (query instanceof ParseError) return query;
  const items = query.getChildElements();
  if (items.length !== 1) {
    return new ParseError("bad-push");
  }
  const item = parseRosterItem(items[0]);
  if (item instanceof ParseError) return item;
  return { item, ...version(query) };
}
