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
 * Which open chats get a tab: the ones that had one (`previous`, so tabs do
 * not jump about as the agent moves between them), filled up in the order
 * the chats were opened. The active chat always has a tab: when it had
 * none, it takes the last tab's place, so the agent always sees which chat
 * the window shows. Tabs stay in the order the chats were opened.
 */
export function tabStrip(
  open: readonly string[],
  active: string | undefined,
  previous: readonly string[] = [],
  max: number = VISIBLE_TABS,
): TabStrip {
  if (open.length <= max) return { visible: open, hidden: [] };
  const isOpen = new Set(open);
  const kept = previous.filter((jid) => isOpen.has(jid)).slice(0, max);
  const chosen = new Set(kept);
  for (const jid of open) {
    if (chosen.size >= max) break;
    chosen.add(jid);
  }
  if (active !== undefined && isOpen.has(active) && !chosen.has(active)) {
    const inOrder = open.filter((jid) => chosen.has(jid));
    chosen.delete(inOrder[inOrder.length - 1]);
    chosen.add(active);
  }
  return {
    visible: open.filter((jid) => chosen.has(jid)),
    hidden: open.filter((jid) => !chosen.has(jid)),
  };
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
