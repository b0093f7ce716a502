// The agent's roster actions (seed: Add/Edit/Move/Delete Contact, Edit/Delete
// Group) planned as roster sets, one item each (RFC 6121 §2.3, §2.5). Pure:
// state and input in, the sets to send out. Nothing changes locally until
// the server pushes the result back.
import { xml } from "@xmpp/xml";
import type { XmlElement } from "../core/connection.ts";
import { cleanText } from "../core/display_text.ts";
import { ParseError } from "../core/errors.ts";
import { parseBareJid } from "../core/jid_parse.ts";
import { NS_ROSTER, ROSTER_LIMITS, type RosterItem } from "./roster_parser.ts";
import { groupsOf, NO_GROUP, type RosterState } from "./roster_state.ts";

export type RosterChange =
  | {
    readonly kind: "set";
    readonly jid: string;
    readonly name?: string;
    readonly groups: readonly string[];
  }
  | { readonly kind: "remove"; readonly jid: string };

export interface ContactEdit {
  /** A new display name; "" clears it. Omitted: unchanged. */
  readonly name?: string;
  /** The full new list of groups. Omitted: unchanged. */
  readonly groups?: readonly string[];
}

/**
 * RFC 6121 §2.1.5: a set carries exactly one item, with its name and every
 * group, since the server replaces the item (§2.4); §2.1.2.5: no
 * subscription except "remove", and never `ask`.
 */
export function rosterSetStanza(change: RosterChange): XmlElement {
  const item = change.kind === "remove"
    ? xml("item", { jid: change.jid, subscription: "remove" })
    : xml(
      "item",
      change.name === undefined
        ? { jid: change.jid }
        : { jid: change.jid, name: change.name },
      ...change.groups.map((group) => xml("group", {}, group)),
    );
  return xml("iq", { type: "set" }, xml("query", { xmlns: NS_ROSTER }, item));
}

function inputError(condition: string, message: string): ParseError {
  return new ParseError(condition, message);
}

/** A group name typed by the agent, cleaned like the parser cleans it. */
export function groupInput(group: string): string | ParseError {
  const cleaned = cleanText(group, ROSTER_LIMITS.groupLength + 1);
  if (cleaned === "") return inputError("bad-group", "Enter a group name.");
  if (cleaned.length > ROSTER_LIMITS.groupLength) {
    return inputError(
      "bad-group",
      `Use at most ${ROSTER_LIMITS.groupLength} characters for a group name.`,
    );
  }
  return cleaned;
}

function nameInput(name: string): string | undefined | ParseError {
  const cleaned = cleanText(name, ROSTER_LIMITS.nameLength + 1);
  if (cleaned.length > ROSTER_LIMITS.nameLength) {
    return inputError(
      "bad-name",
      `Use at most ${ROSTER_LIMITS.nameLength} characters for a name.`,
    );
  }
  return cleaned === "" ? undefined : cleaned;
}

function groupsInput(groups: readonly string[]): string[] | ParseError {
  const out = new Set<string>();
  for (const group of groups) {
    if (group === NO_GROUP) continue;
    const cleaned = groupInput(group);
    if (cleaned instanceof ParseError) return cleaned;
    out.add(cleaned);
  }
  if (out.size > ROSTER_LIMITS.groupsPerItem) {
    return inputError(
      "bad-group",
      `A contact can be in at most ${ROSTER_LIMITS.groupsPerItem} groups.`,
    );
  }
  return [...out];
}

function set(item: RosterItem, groups: readonly string[]): RosterChange {
  return item.name === undefined
    ? { kind: "set", jid: item.jid, groups }
    : { kind: "set", jid: item.jid, name: item.name, groups };
}

export function planAdd(
  jid: string,
  name: string | undefined,
  groups: readonly string[],
): RosterChange | ParseError {
  const bare = parseBareJid(jid.trim());
  if (bare instanceof ParseError) return bare;
  const cleanName = nameInput(name ?? "");
  if (cleanName instanceof ParseError) return cleanName;
  const cleanGroups = groupsInput(groups);
  if (cleanGroups instanceof ParseError) return cleanGroups;
  return cleanName === undefined
    ? { kind: "set", jid: bare, groups: cleanGroups }
    : { kind: "set", jid: bare, name: cleanName, groups: cleanGroups };
}

function existing(state: RosterState, jid: string): RosterItem | ParseError {
  const bare = parseBareJid(jid);
  if (bare instanceof ParseError) return bare;
  return state.items.get(bare) ??
    inputError("item-not-found", `${bare} is not in your contacts.`);
}

export function planEdit(
  state: RosterState,
  jid: string,
  edit: ContactEdit,
): RosterChange | ParseError {
  const item = existing(state, jid);
  if (item instanceof ParseError) return item;
  const name = edit.name === undefined ? item.name : nameInput(edit.name);
  if (name instanceof ParseError) return name;
  const groups = edit.groups === undefined
    ? item.groups
    : groupsInput(edit.groups);
  if (groups instanceof ParseError) return groups;
  return name === undefined
    ? { kind: "set", jid: item.jid, groups }
    : { kind: "set", jid: item.jid, name, groups };
}

/** Contacts of `jids` that are in the roster, each once. */
function members(state: RosterState, jids: readonly string[]): RosterItem[] {
  const found = new Map<string, RosterItem>();
  for (const jid of jids) {
    const item = existing(state, jid);
    if (!(item instanceof ParseError)) found.set(item.jid, item);
  }
  return [...found.values()];
}

/**
 * Seed "Move Contact": out of `from` into `to`; other groups stay. A
 * contact not in `from` (moved meanwhile by another client) is left alone.
 */
export function planMove(
  state: RosterState,
  jids: readonly string[],
  from: string,
  to: string,
): RosterChange[] | ParseError {
  const target = to === NO_GROUP ? NO_GROUP : groupInput(to);
  if (target instanceof ParseError) return target;
  if (target === from) return [];
  const changes: RosterChange[] = [];
  for (const item of members(state, jids)) {
    const groups = groupsOf(item);
    if (!groups.includes(from)) continue;
    const next = new Set(groups.filter((group) => group !== from));
    next.add(target);
    next.delete(NO_GROUP);
    changes.push(set(item, [...next]));
  }
  return changes;
}

/**
 * Seed "Delete Contact": a contact in several groups leaves only `group`; in
 * its last group it leaves the roster (RFC 6121 §2.5, which also cancels
 * the subscriptions both ways).
 */
export function planRemoveFromGroup(
  state: RosterState,
  jids: readonly string[],
  group: string,
): RosterChange[] {
  const changes: RosterChange[] = [];
  for (const item of members(state, jids)) {
    const groups = groupsOf(item);
    if (!groups.includes(group)) continue;
    const rest = groups.filter((g) => g !== group && g !== NO_GROUP);
    changes.push(
      rest.length === 0 ? { kind: "remove", jid: item.jid } : set(item, rest),
    );
  }
  return changes;
}

/** Seed "Edit Group": the group keeps its place in each contact's list. */
export function planRenameGroup(
  state: RosterState,
  from: string,
  to: string,
): RosterChange[] | ParseError {
  const target = groupInput(to);
  if (target instanceof ParseError) return target;
  if (target === from) return [];
  const changes: RosterChange[] = [];
  for (const item of state.items.values()) {
    const groups = groupsOf(item);
    if (!groups.includes(from)) continue;
    const renamed = new Set(groups.map((g) => g === from ? target : g));
    renamed.delete(NO_GROUP);
    changes.push(set(item, [...renamed]));
  }
  return changes;
}

/**
 * Seed "Delete Group": every contact of the group goes with it, except that
 * a contact also in another group only loses this one.
 */
export function planDeleteGroup(
  state: RosterState,
  group: string,
): RosterChange[] {
  const jids = [...state.items.values()]
    .filter((item) => groupsOf(item).includes(group))
    .map((item) => item.jid);
  return planRemoveFromGroup(state, jids, group);
}
