// The message list's scrolling: which rows to mount, where the scroll
// position goes when rows change, and whether the agent is at the bottom.
// Rows report their own heights (row_observer.ts) into a HeightTree, so a
// measurement costs O(log n), not a pass over 10,000 rows; the only layout
// this code causes is setting scrollTop when it must move, and held at the
// bottom that is once per frame at most.
import type { RefObject } from "preact";
import {
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "preact/hooks";
import { HeightTree } from "./height_tree.ts";
import type { ListRow } from "./message_rows.ts";
import {
  type Anchor,
  anchorAt,
  estimateRowHeight,
  indexNear,
  isAtBottom,
  type RowRange,
  scrollTopFor,
  visibleRange,
} from "./row_layout.ts";
import { createRowObserver, type RowObserver } from "./row_observer.ts";
import { useNewRows } from "./use_new_rows.ts";

/** Rows mounted beyond each edge of the viewport, in pixels. */
const OVERSCAN = 480;

export interface VirtualList {
  readonly scroller: RefObject<HTMLDivElement | null>;
  readonly observer: RowObserver;
  readonly range: RowRange;
  /** Pixels above the first mounted row and below the last. */
  readonly before: number;
  readonly after: number;
  /** Incoming messages below the viewport the agent has not scrolled to. */
  readonly unseen: number;
  onScroll(): void;
  scrollToBottom(): void;
}

export interface ScrollState {
  /** Held at the bottom: new rows scroll into view. */
  stick: boolean;
  /** Else the row held still while rows above it change. */
  anchor: Anchor | undefined;
  /** The last scrollTop seen or set. */
  top: number;
}

interface Layout {
  readonly rows: readonly ListRow[];
  readonly tree: HeightTree;
  /** The first mounted row, where a reported row is looked for. */
  readonly start: number;
}

/** A chat window's usual width, for estimates before the first report. */
const GUESS_WIDTH = 360;
/** A scrollTop beyond any list's end; the browser clamps it to the end. */
const PAST_THE_END = 1e9;
/** Beyond this many measured heights the oldest reports are let go. */
const MEASURED_LIMIT = 20_000;

export function useVirtualList(rows: readonly ListRow[]): VirtualList {
  const scroller = useRef<HTMLDivElement>(null);
  // Measured heights by row key, kept across changes of the rows, at the
  // width in `width`.
  const heights = useRef(new Map<string, number>()).current;
  const width = useRef(0);
  const [height, setHeight] = useState(0);
  const [top, setTop] = useState(0);
  const [, setVersion] = useState(0);
  const state = useRef<ScrollState>({ stick: true, anchor: undefined, top: 0 })
    .current;
  const layout = useRef<Layout | undefined>(undefined);

  const observer = useMemo(
    () =>
      createRowObserver((sizes) => {
        const current = layout.current;
        if (current === undefined) return;
        const keyAt = (i: number) => current.rows[i].key;
        let changed = false;
        for (const [key, size] of sizes) {
          if (heights.size >= MEASURED_LIMIT) heights.clear();
          heights.set(key, size);
          const index = indexNear(
            current.rows.length,
            keyAt,
            key,
            current.start,
          );
          if (index >= 0 && current.tree.set(index, size)) changed = true;
        }
        if (changed) setVersion((v) => v + 1);
      }),
    [],
  );
  useEffect(() => () => observer.disconnect(), [observer]);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    const resize = new ResizeObserver(([entry]) => {
      const box = entry.contentBoxSize[0];
      if (box.inlineSize !== width.current) {
        // Rows wrap anew: heights measured at the old width are only
        // guesses now (the tree keeps them as such); the mounted rows
        // report again.
        width.current = box.inlineSize;
        heights.clear();
        observer.remeasure();
      }
      setHeight(box.blockSize);
    });
    resize.observe(element);
    return () => resize.disconnect();
  }, [observer]);

  // O(n) only when the rows change: one loop, no garbage per row.
  const tree = useMemo(() => {
    const sizes = new Float64Array(rows.length);
    const wraps = width.current || GUESS_WIDTH;
    // A chat just opened has measured nothing: no lookups then.
    const measured = heights.size > 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      sizes[i] = (measured ? heights.get(row.key) : undefined) ??
        estimateRowHeight(row, wraps);
    }
    return new HeightTree(sizes);
  }, [rows]);
  const keyAt = (i: number) => rows[i].key;

  const [unseen, setUnseen] = useNewRows(rows, state);

  // Held at the bottom: the scroll position follows once per frame, and
  // only when what it depends on changed (rows in, a measured height, the
  // viewport, a jump asked for), not after every render: a message's state
  // changing (pending, sent, delivered) moves nothing. Writing scrollTop
  // lays the list out to clamp it (CSSOM View §"scroll an element"); in a
  // frame callback that is the layout the frame makes anyway, not a
  // synchronous one per render. The write goes past the end, so no
  // scrollHeight is read: the browser clamps it to the bottom.
  const view = height || 800;
  const [bottomAsked, setBottomAsked] = useState(0);
  const frame = useRef(0);
  useEffect(() => () => cancelAnimationFrame(frame.current), []);
  useLayoutEffect(() => {
    if (!state.stick || frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const element = scroller.current;
      if (element === null) return;
      // The agent may have scrolled away since the rows came, its scroll
      // event not dispatched yet: that decides first. (This read lays out
      // the list once; the write below then finds the layout clean.)
      const at = element.scrollTop;
      if (Math.abs(at - state.top) >= 1) agentScrolled(element, at);
      if (!state.stick) return;
      element.scrollTop = PAST_THE_END;
      // Laid out by the write: reading it back costs nothing more, and
      // tells onScroll this move was ours.
      state.top = element.scrollTop;
    });
  }, [tree.count, tree.total, view, bottomAsked, state.stick]);

  // Else hold the anchor row still while rows above it change; it moves
  // only when its offset in the height tree changed (no layout read).
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element === null || state.stick) return;
    const target = state.anchor && scrollTopFor(state.anchor, keyAt, tree);
    if (target === undefined || Math.abs(target - state.top) < 0.5) return;
    element.scrollTop = target;
    state.top = element.scrollTop;
  });

  // Also called from a frame callback, after later renders: so the rows
  // and heights are the last rendered ones, not this render's.
  function agentScrolled(element: HTMLDivElement, at: number): void {
    state.top = at;
    state.stick = isAtBottom(at, element.clientHeight, element.scrollHeight);
    const last = layout.current;
    state.anchor = state.stick || last === undefined
      ? undefined
      : anchorAt((i) => last.rows[i].key, last.tree, at);
    if (state.stick) setUnseen(0);
    // `top` may already hold `at` (it is not set while held at the
    // bottom), and the rows to show depend on `stick`: render anyway.
    setVersion((v) => v + 1);
  }

  function onScroll(): void {
    const element = scroller.current;
    if (element === null) return;
    const at = element.scrollTop;
    // The agent scrolled (our own writes land exactly on state.top).
    const ours = Math.abs(at - state.top) < 1;
    if (!ours) agentScrolled(element, at);
    // Held at the bottom, the rows shown do not depend on `top`: our own
    // bottom-hold needs no second render.
    if (!(ours && state.stick)) setTop(at);
  }

  // Held at the bottom, the rows to show are the last ones, whatever the
  // scroll position was before the rows changed.
  const total = tree.total;
  const viewTop = state.stick ? Math.max(0, total - view) : top;
  const range = visibleRange(tree, viewTop, view, OVERSCAN);
  layout.current = { rows, tree, start: range.start };
  return {
    scroller,
    observer,
    range,
    before: tree.offsetOf(range.start),
    after: total - tree.offsetOf(range.end),
    unseen,
    onScroll,
    scrollToBottom() {
      state.stick = true;
      state.anchor = undefined;
      setUnseen(0);
      // A new value, so the list renders and the bottom-hold runs.
      setBottomAsked((n) => n + 1);
    },
  };
}
