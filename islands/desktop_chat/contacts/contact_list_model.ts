// The contact list's UI state: filter, collapsed groups, selection, the
// focused row, and the flat rows a virtual list renders. The roster and the
// recent chats come in as read-only signals; nothing here writes them.
import {
  computed,
  createModel,
  effect,
  type ReadonlySignal,
  signal,
} from "@preact/signals";
import type { RecentChat } from "../../../shared/xmpp/chat/recent_chats.ts";
import {
  NO_GROUP,
  type RosterGroup,
} from "../../../shared/xmpp/roster/roster_state.ts";
import type { ContactInGroup } from "../dialog_model.ts";
import {
  entryKey,
  foldText,
  NO_GROUP_LABEL,
  RECENT_CHATS_LABEL,
  RECENT_GROUP,
  searchKeyOf,
  type Section,
  sectionRows,
} from "./contact_rows.ts";

export type FocusMove = "up" | "down" | "home" | "end";

export const ContactListModel = createModel(
  (
    groups: ReadonlySignal<readonly RosterGroup[]>,
    recent: ReadonlySignal<readonly RecentChat[]>,
  ) => {
    const filterText = signal("");
    const collapsed = signal<ReadonlySet<string>>(new Set());
    // Collapsing while filtering is undone with the filter: a new search
    // shows every matching group open again.
    const collapsedInFilter = signal<ReadonlySet<string>>(new Set());
    const picked = signal<readonly ContactInGroup[]>([]);
    const focused = signal<{ key?: string; index: number }>({ index: 0 });

    const needle = computed(() => foldText(filterText.value.trim()));
    // Folded once per roster change, so a keystroke only runs `includes`.
    const indexed = computed(() =>
      groups.value.map((group) => ({
        group,
        keys: group.contacts.map(searchKeyOf),
      }))
    );
    // People outside the roster are found by their address only: the
    // nickname they picked (XEP-0172) is their claim, and matching it would
    // list "Sam Sullivan" from stranger@… beside the real Sam (issue 14).
    const recentKeys = computed(() =>
      recent.value.map((chat) => foldText(chat.jid))
    );
    const present = computed(() => {
      const entries = new Set<string>();
      for (const group of groups.value) {
        for (const item of group.contacts) {
          entries.add(entryKey(item.jid, group.name));
        }
      }
      return entries;
    });

    const sections = computed((): readonly Section[] => {
      const text = needle.value;
      const shown: Section[] = [];
      const chatKeys = text === "" ? [] : recentKeys.value;
      const chats = text === ""
        ? recent.value
        : recent.value.filter((_, i) => chatKeys[i].includes(text));
      if (chats.length > 0) {
        shown.push({
          group: RECENT_GROUP,
          name: RECENT_CHATS_LABEL,
          members: chats,
          recent: true,
        });
      }
      for (const { group, keys } of indexed.value) {
        const members = text === ""
          ? group.contacts
          : group.contacts.filter((_, i) => keys[i].includes(text));
        if (members.length === 0) continue;
        shown.push({
          group: group.name,
          name: group.name === NO_GROUP ? NO_GROUP_LABEL : group.name,
          members,
          recent: false,
        });
      }
      return shown;
    });

    // Who the filtered list shows (the search's Directory section leaves
    // them out); nobody while there is no filter.
    const listed = computed((): ReadonlySet<string> => {
      const jids = new Set<string>();
      if (needle.value === "") return jids;
      for (const section of sections.value) {
        for (const member of section.members) jids.add(member.jid);
      }
      return jids;
    });

    const rows = computed(() =>
      sectionRows(
        sections.value,
        needle.value === "" ? collapsed.value : collapsedInFilter.value,
      )
    );

    const selectedKeys = computed(() =>
      new Set(picked.value.map((entry) => entryKey(entry.jid, entry.group)))
    );

    // Dropped rather than hidden: a contact deleted or moved elsewhere (here
    // or from Jabber) must not come back selected if it returns.
    effect(() => {
      const entries = present.value;
      const current = picked.peek();
      const kept = current.filter((entry) =>
        entries.has(entryKey(entry.jid, entry.group))
      );
      if (kept.length !== current.length) picked.value = kept;
    });

    // Follows the focused row by key, so a roster push or a filter keystroke
    // keeps focus on the same row; when it is gone, on the row now there.
    const focusIndex = computed(() => {
      const all = rows.value;
      if (all.length === 0) return -1;
      const { key, index } = focused.value;
      const found = key === undefined
        ? -1
        : all.findIndex((row) => row.key === key);
      return found >= 0 ? found : Math.min(index, all.length - 1);
    });

    function focusRow(index: number): void {
      const all = rows.peek();
      if (all.length === 0) return;
      const i = Math.max(0, Math.min(index, all.length - 1));
      focused.value = { key: all[i].key, index: i };
    }

    function setCollapsed(group: string, close: boolean): void {
      const target = needle.peek() === "" ? collapsed : collapsedInFilter;
      if (target.peek().has(group) === close) return;
      const next = new Set(target.peek());
      if (close) next.add(group);
      else next.delete(group);
      target.value = next;
    }

    return {
      filter: computed(() => filterText.value),
      listed,
      rows,
      selection: picked as ReadonlySignal<readonly ContactInGroup[]>,
      focusIndex,
      setFilter(text: string): void {
        if (text === filterText.peek()) return;
        filterText.value = text;
        collapsedInFilter.value = new Set();
      },
      toggleGroup(group: string): void {
        const closed = needle.peek() === ""
          ? collapsed.peek()
          : collapsedInFilter.peek();
        setCollapsed(group, !closed.has(group));
      },
      isSelected(entry: ContactInGroup): boolean {
        return selectedKeys.value.has(entryKey(entry.jid, entry.group));
      },
      /** Ctrl/Cmd-click or Space: add or take out this one. */
      toggleSelected(entry: ContactInGroup): void {
        const key = entryKey(entry.jid, entry.group);
        const current = picked.peek();
        const rest = current.filter((other) =>
          entryKey(other.jid, other.group) !== key
        );
        picked.value = rest.length === current.length
          ? [...current, { jid: entry.jid, group: entry.group }]
          : rest;
      },
      clearSelection(): void {
        if (picked.peek().length > 0) picked.value = [];
      },
      focusRow,
      moveFocus(move: FocusMove): void {
        const current = focusIndex.peek();
        const last = rows.peek().length - 1;
        // focusRow keeps the index within the rows.
        focusRow(
          move === "home"
            ? 0
            : move === "end"
            ? last
            : current + (move === "up" ? -1 : 1),
        );
      },
      /**
       * WAI-ARIA APG tree, Left Arrow: an open group closes; a member moves
       * focus to its group.
       */
      arrowLeft(): void {
        const all = rows.peek();
        const i = focusIndex.peek();
        const row = all[i];
        if (row === undefined) return;
        if (row.kind === "group") {
          if (row.expanded) setCollapsed(row.group, true);
          return;
        }
        let parent = i;
        while (parent > 0 && all[parent].kind !== "group") parent--;
        focusRow(parent);
      },
      /**
       * WAI-ARIA APG tree, Right Arrow: a closed group opens; an open one
       * moves focus to its first member.
       */
      arrowRight(): void {
        const all = rows.peek();
        const i = focusIndex.peek();
        const row = all[i];
        if (row?.kind !== "group") return;
        if (!row.expanded) setCollapsed(row.group, false);
        else if (all[i + 1]?.level === 2) focusRow(i + 1);
      },
    };
  },
);

export type ContactListModel = InstanceType<typeof ContactListModel>;
