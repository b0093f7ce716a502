// Which chats get a tab and which wait behind "More chats" (seed: "The chat
// tab area displays up to three active chats"), and how arrow keys move
// between tabs (WAI-ARIA APG Tabs pattern, horizontal tablist). Pure.

export const VISIBLE_TABS = 3;

export interface TabStrip {
  /** In the order the chats were opened; always holds the active chat. */
  readonly visible: readonly string[];
  /** The rest, in the same order, for the "More chats" menu. */
  readonly hidden: readonly string[];
}

/**
 * The first `max` open chats get a tab, except that the active chat always
 * has one: when it is further down, it takes the last tab's place, so the
 * agent always sees which chat the window shows.
 */
export function tabStrip(
  open: readonly string[],
  active: string | undefined,
  max: number = VISIBLE_TABS,
): TabStrip {
  if (open.length <= max) return { visible: open, hidden: [] };
  let visible = open.slice(0, max);
  if (
    active !== undefined && open.includes(active) && !visible.includes(active)
  ) {
    visible = [...open.slice(0, max - 1), active];
  }
  const shown = new Set(visible);
  return { visible, hidden: open.filter((jid) => !shown.has(jid)) };
}

export type TabMove = "previous" | "next" | "first" | "last";

const MOVES: Readonly<Record<string, TabMove>> = {
  ArrowLeft: "previous",
  ArrowRight: "next",
  Home: "first",
  End: "last",
};

export function tabMove(key: string): TabMove | undefined {
  return Object.hasOwn(MOVES, key) ? MOVES[key] : undefined;
}

/** APG: arrows wrap from the last tab to the first and back. */
export function movedIndex(at: number, count: number, move: TabMove): number {
  if (count === 0) return -1;
  switch (move) {
    case "previous":
      return (at - 1 + count) % count;
    case "next":
      return (at + 1) % count;
    case "first":
      return 0;
    case "last":
      return count - 1;
  }
}
