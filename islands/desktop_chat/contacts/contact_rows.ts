// The contact list as rows: sections (Recent Chats, then the roster's
// groups) flattened into group headers and members, the shape a virtual
// list renders. Pure: the model feeds it signals' values.
import type { RecentChat } from "../../../shared/xmpp/chat/recent_chats.ts";
import type { RosterItem } from "../../../shared/xmpp/roster/roster_parser.ts";
import { displayName } from "../../../shared/xmpp/roster/roster_state.ts";

export const NO_GROUP_LABEL = "Other Contacts";
export const RECENT_CHATS_LABEL = "Recent Chats";
/**
 * The collapse key of the Recent Chats pseudo-group. Roster groups are
 * stripped of control characters (display_text.ts), so no real group can
 * be called this, not even one named "Recent Chats".
 */
export const RECENT_GROUP = "\u0001recent";

export interface GroupRowData {
  readonly kind: "group";
  /** Stable across renders, for keyed rendering and focus. */
  readonly key: string;
  /** The roster group (NO_GROUP for none) or RECENT_GROUP. */
  readonly group: string;
  /** What the header says. */
  readonly name: string;
  /** Members shown: all of them, or those matching the filter. */
  readonly count: number;
  /**
   * The bare JIDs of a roster group's members shown, whose presence gives
   * the "online of total" count; absent for Recent Chats (no presence).
   */
  readonly members?: readonly string[];
  readonly expanded: boolean;
  readonly level: 1;
  readonly posinset: number;
  readonly setsize: number;
}

export interface ContactRowData {
  readonly kind: "contact";
  readonly key: string;
  readonly jid: string;
  readonly group: string;
  readonly name: string;
  /** RFC 6121 §2.1.2.2: our subscription request awaits an answer. */
  readonly pending: boolean;
  readonly level: 2;
  readonly posinset: number;
  readonly setsize: number;
}

export interface RecentRowData {
  readonly kind: "recent";
  readonly key: string;
  readonly jid: string;
  /** XEP-0172 nickname they offered: a claim, never their name. */
  readonly nick?: string;
  /** Their bare address: no one outside the roster has another name. */
  readonly name: string;
  readonly level: 2;
  readonly posinset: number;
  readonly setsize: number;
}

export type ContactListRow = GroupRowData | ContactRowData | RecentRowData;

/** Case- and accent-insensitive form: "Zoë" and "zoe" fold alike. */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/\p{M}+/gu, "").toLowerCase();
}

// Per roster item, so a push re-folds only the item it replaced.
const searchKeys = new WeakMap<RosterItem, string>();

export function searchKeyOf(item: RosterItem): string {
  let key = searchKeys.get(item);
  if (key === undefined) {
    key = foldText(`${displayName(item)}\n${item.jid}`);
    searchKeys.set(item, key);
  }
  return key;
}

export function entryKey(jid: string, group: string): string {
  // Neither a bare JID nor a cleaned group contains a NUL.
  return `${group}\u0000${jid}`;
}

/** One group as shown: its members, all or those matching the filter. */
export type Section =
  & { readonly group: string; readonly name: string }
  & (
    | { readonly recent: true; readonly members: readonly RecentChat[] }
    | { readonly recent: false; readonly members: readonly RosterItem[] }
  );

/** Group headers, and the members of expanded groups, in order. */
export function sectionRows(
  sections: readonly Section[],
  collapsed: ReadonlySet<string>,
): readonly ContactListRow[] {
  const all: ContactListRow[] = [];
  const setsize = sections.length;
  sections.forEach((section, s) => {
    const expanded = !collapsed.has(section.group);
    const count = section.members.length;
    all.push({
      kind: "group",
      key: `g${section.group}`,
      group: section.group,
      name: section.name,
      count,
      ...(section.recent
        ? {}
        : { members: section.members.map((item) => item.jid) }),
      expanded,
      level: 1,
      posinset: s + 1,
      setsize,
    });
    if (!expanded) return;
    if (section.recent) {
      section.members.forEach((chat, i) => {
        all.push({
          kind: "recent",
          key: `r${chat.jid}`,
          jid: chat.jid,
          ...(chat.nick === undefined ? {} : { nick: chat.nick }),
          name: chat.jid,
          level: 2,
          posinset: i + 1,
          setsize: count,
        });
      });
      return;
    }
    section.members.forEach((item, i) => {
      all.push({
        kind: "contact",
        key: `c${entryKey(item.jid, section.group)}`,
        jid: item.jid,
        group: section.group,
        name: displayName(item),
        pending: item.ask === "subscribe",
        level: 2,
        posinset: i + 1,
        setsize: count,
      });
    });
  });
  return all;
}
