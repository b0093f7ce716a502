// The decisions behind the contact and group dialogs (seed: Add, Edit, Move,
// Delete Contact; Edit, Delete Group), kept apart from the DOM so that they
// are tested with literal data.
import { ParseError, XmppError } from "../../../shared/xmpp/core/errors.ts";
import { parseJid } from "../../../shared/xmpp/core/jid_parse.ts";
import { groupInput } from "../../../shared/xmpp/roster/roster_changes.ts";
import { NO_GROUP } from "../../../shared/xmpp/roster/roster_state.ts";
import { NO_GROUP_LABEL } from "../contacts/contact_rows.ts";
import type { ContactInGroup } from "../dialog_model.ts";

export function groupLabel(group: string): string {
  return group === NO_GROUP ? NO_GROUP_LABEL : group;
}

/** What the group picker holds: a group that exists, or one being named. */
export type GroupChoice =
  | { readonly kind: "existing"; readonly group: string }
  | { readonly kind: "new"; readonly name: string };

/**
 * The picker's groups: the roster's, with NO_GROUP always last so that a
 * contact can go to "Other Contacts" even before any contact is there.
 */
export function pickerGroups(groups: readonly string[]): string[] {
  return [...groups.filter((group) => group !== NO_GROUP), NO_GROUP];
}

/**
 * `preferred` when it is one of `groups`, or a new group of that name when
 * it is gone; else the first group not in `avoid` (a move's sources).
 */
export function initialChoice(
  groups: readonly string[],
  preferred?: string,
  avoid: readonly string[] = [],
): GroupChoice {
  if (preferred !== undefined) {
    return groups.includes(preferred) || preferred === NO_GROUP
      ? { kind: "existing", group: preferred }
      : { kind: "new", name: preferred };
  }
  const group = groups.find((name) => !avoid.includes(name)) ?? groups[0];
  return group === undefined
    ? { kind: "new", name: "" }
    : { kind: "existing", group };
}

/** The group to send, or why the typed name cannot be one. */
export function pickedGroup(choice: GroupChoice): string | ParseError {
  return choice.kind === "existing" ? choice.group : groupInput(choice.name);
}

/**
 * Edit Contact's groups: the ticked ones, in the order shown, plus a typed
 * new one when there is one. None ticked puts the contact in "Other
 * Contacts".
 */
export function editedGroups(
  shown: readonly string[],
  ticked: ReadonlySet<string>,
  newName: string,
): string[] | ParseError {
  const groups = shown.filter((group) => ticked.has(group));
  if (newName.trim() === "") return groups;
  const added = groupInput(newName);
  if (added instanceof ParseError) return added;
  return groups.includes(added) ? groups : [...groups, added];
}

/**
 * Add Contact for someone already in the roster: the server replaces the
 * whole item (RFC 6121 §2.4), so their other groups are carried over.
 */
export function addedGroups(
  current: readonly string[] | undefined,
  group: string,
): string[] {
  const groups = [...(current ?? [])];
  if (group !== NO_GROUP && !groups.includes(group)) groups.push(group);
  return groups;
}

/** The address typed into Add Contact, as a bare JID with a localpart. */
export function contactAddress(
  input: string,
  ownJid: string,
): string | ParseError {
  const jid = parseJid(input.trim());
  if (jid instanceof ParseError) return jid;
  if (jid.local === undefined || jid.resource !== undefined) {
    return new ParseError(
      "jid-malformed",
      "Enter a full address such as name@example.com.",
    );
  }
  if (jid.bare === ownJid) {
    return new ParseError("own-jid", "That is your own address.");
  }
  return jid.bare;
}

/** Edit Group: a name that is valid and not taken by another group. */
export function renamedGroup(
  from: string,
  to: string,
  groups: readonly string[],
): string | ParseError {
  const target = groupInput(to);
  if (target instanceof ParseError) return target;
  if (target !== from && groups.includes(target)) {
    return new ParseError(
      "group-exists",
      `A group named “${target}” already exists. Choose another name.`,
    );
  }
  return target;
}

export interface SourceGroup {
  readonly group: string;
  readonly jids: readonly string[];
}

/**
 * The picked contacts by the group they were picked in, in the order first
 * picked; each roster action works on one source group.
 */
export function bySourceGroup(
  entries: readonly ContactInGroup[],
): SourceGroup[] {
  const groups = new Map<string, Set<string>>();
  for (const { jid, group } of entries) {
    let jids = groups.get(group);
    if (jids === undefined) groups.set(group, jids = new Set());
    jids.add(jid);
  }
  return [...groups].map(([group, jids]) => ({ group, jids: [...jids] }));
}

export interface NameList {
  readonly shown: readonly string[];
  /** How many more are not shown. */
  readonly more: number;
}

export function nameList(names: readonly string[], limit = 5): NameList {
  return {
    shown: names.slice(0, limit),
    more: Math.max(0, names.length - limit),
  };
}

export function countText(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Actions reject with an XmppError whose message is written for the agent. */
export function errorMessage(error: unknown): string {
  return error instanceof XmppError
    ? error.message
    : "Something went wrong. Try again.";
}
