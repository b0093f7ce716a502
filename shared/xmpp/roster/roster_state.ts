// The roster as plain data and the pure handlers that change it: a roster
// result replaces it, a push (RFC 6121 §2.1.6) changes one item. The store
// feeds them; tests feed them literal stanzas.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { ParseError } from "../core/errors.ts";
import { parseJid } from "../core/jid_parse.ts";
import {
  NS_ROSTER,
  parseRosterPush,
  type PushedRosterItem,
  type RosterItem,
  type RosterResult,
} from "./roster_parser.ts";

export interface RosterState {
  /** Keyed by bare JID. */
  readonly items: ReadonlyMap<string, RosterItem>;
  readonly ver?: string;
}

export const EMPTY_ROSTER: RosterState = { items: new Map() };

/**
 * The group of contacts that belong to none. A server refuses an empty
 * group name (RFC 6121 §2.3.3) and the parser drops one, so "" never
 * clashes with a real group; the UI picks its label.
 */
export const NO_GROUP = "";

export interface RosterGroup {
  readonly name: string;
  readonly contacts: readonly RosterItem[];
  readonly count: number;
}

export type RosterEffect = {
  readonly type: "send";
  readonly stanza: XmlElement;
};

export interface RosterPushOutcome {
  readonly state: RosterState;
  readonly effects: readonly RosterEffect[];
  /** Why the push was not applied, when it was not. */
  readonly rejected?: ParseError;
}

export function applyRosterResult(
  _state: RosterState,
  result: RosterResult,
): RosterState {
  const items = new Map<string, RosterItem>();
  for (const item of result.items) items.set(item.jid, item);
  return result.ver === undefined ? { items } : { items, ver: result.ver };
}

export function applyRosterPush(
  state: RosterState,
  item: PushedRosterItem,
  ver?: string,
): RosterState {
  const items = new Map(state.items);
  if (item.subscription === "remove") items.delete(item.jid);
  else items.set(item.jid, item);
  const nextVer = ver ?? state.ver;
  return nextVer === undefined ? { items } : { items, ver: nextVer };
}

/**
 * RFC 6121 §2.1.6: a push is accepted only without a `from` or from the
 * user's own bare JID; anything else may be forged by another entity
 * (roadmap item 5).
 */
export function isFromOwnAccount(
  from: string | undefined,
  ownBareJid: string,
): boolean {
  if (from === undefined) return true;
  const jid = parseJid(from);
  return !(jid instanceof ParseError) && jid.resource === undefined &&
    jid.bare === ownBareJid;
}

export function isRosterPush(stanza: XmlElement): boolean {
  return stanza.is("iq") && stanza.attrs.type === "set" &&
    stanza.getChild("query", NS_ROSTER) !== undefined;
}

/**
 * A roster push in, the new state and the reply out. Every push gets exactly
 * one answer (RFC 6120 §8.2.3): a result when applied; service-unavailable
 * for one from a foreign sender, the answer of a client that has no roster
 * for them (RFC 6120 §8.3.3.19); bad-request for a malformed one.
 */
export function handleRosterPush(
  state: RosterState,
  stanza: XmlElement,
  ownBareJid: string,
): RosterPushOutcome {
  if (!isFromOwnAccount(stanza.attrs.from, ownBareJid)) {
    return {
      state,
      effects: [reply(stanza, "service-unavailable", "cancel")],
      rejected: new ParseError("forged-push"),
    };
  }
  const push = parseRosterPush(stanza);
  if (push instanceof ParseError) {
    return {
      state,
      effects: [reply(stanza, "bad-request", "modify")],
      rejected: push,
    };
  }
  return {
    state: applyRosterPush(state, push.item, push.ver),
    effects: [reply(stanza)],
  };
}

function reply(
  stanza: XmlElement,
  condition?: string,
  type?: string,
): RosterEffect {
  const attrs = {
    type: condition === undefined ? "result" : "error",
    id: stanza.attrs.id,
    to: stanza.attrs.from,
  };
  const element: XmlElement = condition === undefined ? xml("iq", attrs) : xml(
    "iq",
    attrs,
    xml(
      "error",
      { type },
      xml(condition, { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }),
    ),
  );
  return { type: "send", stanza: element };
}

const collator = new Intl.Collator(undefined, {
  sensitivity: "base",
  numeric: true,
});

export function displayName(item: RosterItem): string {
  return item.name ?? item.jid;
}

export function compareContacts(a: RosterItem, b: RosterItem): number {
  return collator.compare(displayName(a), displayName(b)) ||
    (a.jid < b.jid ? -1 : a.jid > b.jid ? 1 : 0);
}

/** Every group in name order with its contacts in display order, NO_GROUP last. */
export function groupRoster(
  items: Iterable<RosterItem>,
): readonly RosterGroup[] {
  const byGroup = new Map<string, RosterItem[]>();
  for (const item of items) {
    const groups = item.groups.length === 0 ? [NO_GROUP] : item.groups;
    for (const group of groups) {
      let members = byGroup.get(group);
      if (members === undefined) byGroup.set(group, members = []);
      members.push(item);
    }
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) =>
      a === NO_GROUP ? 1 : b === NO_GROUP ? -1 : collator.compare(a, b) ||
        (a < b ? -1 : a > b ? 1 : 0)
    )
    .map(([name, contacts]) => {
      contacts.sort(compareContacts);
      return { name, contacts, count: contacts.length };
    });
}

/** The groups of `item`, NO_GROUP standing for none. */
export function groupsOf(item: RosterItem): readonly string[] {
  return item.groups.length === 0 ? [NO_GROUP] : item.groups;
}
