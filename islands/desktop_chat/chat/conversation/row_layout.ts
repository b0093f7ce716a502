// Where each row of the message list sits, for a virtual list whose rows
// differ in height: measured heights where the browser has laid a row out,
// estimates elsewhere (HeightTree keeps the sums). Plain arithmetic, so
// nothing here touches the DOM.
import type { ListRow } from "./message_rows.ts";

/** Within this many pixels of the end counts as "at the bottom". */
export const BOTTOM_SLACK = 24;

/** Where rows sit: HeightTree, or anything answering the same. */
export interface RowPositions {
  readonly count: number;
  readonly total: number;
  offsetOf(index: number): number;
  /** The row covering `y`, clamped; -1 when there are no rows. */
  indexAt(y: number): number;
}

export interface RowRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

/**
 * The rows to mount for a viewport at `top` of `height` pixels, with
 * `overscan` pixels more on each side so a quick scroll finds them ready.
 */
export function visibleRange(
  rows: RowPositions,
  top: number,
  height: number,
  overscan: number,
): RowRange {
  if (rows.count === 0) return { start: 0, end: 0 };
  const start = rows.indexAt(Math.max(0, top - overscan));
  const end = rows.indexAt(top + height + overscan) + 1;
  return { start, end: Math.min(rows.count, end) };
}

export function isAtBottom(
  scrollTop: number,
  viewport: number,
  total: number,
): boolean {
  return total - (scrollTop + viewport) <= BOTTOM_SLACK;
}

/** Each row's key, by index (the list's rows, without copying them). */
export type KeyAt = (index: number) => string;

/**
 * The index of `key` among `count` rows, searched outward from `hint`;
 * -1 when it is not there. Rows only come at the end and leave at the
 * start, so a key is found where it was or a few steps off, without a
 * 10,000-entry map built each time the rows change.
 */
export function indexNear(
  count: number,
  keyAt: KeyAt,
  key: string,
  hint: number,
): number {
  if (count === 0) return -1;
  const from = Math.min(Math.max(hint, 0), count - 1);
  for (let d = 0; from - d >= 0 || from + d < count; d++) {
    if (from + d < count && keyAt(from + d) === key) return from + d;
    if (d > 0 && from - d >= 0 && keyAt(from - d) === key) return from - d;
  }
  return -1;
}

/** A row and how far its top is below the viewport's top, to hold still. */
export interface Anchor {
  readonly key: string;
  /** Where the row was; where the search for it starts. */
  readonly index: number;
  readonly delta: number;
}

export function anchorAt(
  keyAt: KeyAt,
  rows: RowPositions,
  scrollTop: number,
): Anchor | undefined {
  const index = rows.indexAt(scrollTop);
  if (index < 0) return undefined;
  return { key: keyAt(index), index, delta: rows.offsetOf(index) - scrollTop };
}

/**
 * The scrollTop that puts the anchor row where it was, after rows above it
 * were measured, added or dropped; undefined when the row is gone.
 */
export function scrollTopFor(
  anchor: Anchor,
  keyAt: KeyAt,
  rows: RowPositions,
): number | undefined {
  const index = indexNear(rows.count, keyAt, anchor.key, anchor.index);
  if (index < 0) return undefined;
  return Math.max(0, rows.offsetOf(index) - anchor.delta);
}

// What an unmeasured row is guessed to take, from conversation_css.ts's
// sizes: a day heading, and a bubble of wrapped 13px/1.4 text.
export const DAY_ROW_HEIGHT = 34;
/** A file card (files_css.ts): header, status line, buttons, time. */
export const FILE_ROW_HEIGHT = 96;
const LINE = 18;
const BUBBLE_CHROME = 2 * 6 + 16; // padding + the time line
const GAP = 8;
const GAP_CONTINUED = 2;
const CHAR_WIDTH = 7;
// Bodies are bounded by the store; this caps the estimate's own work.
const SCAN_LIMIT = 4_000;

/**
 * A guess close enough that scrolling into unmeasured rows barely jumps,
 * and cheap enough to make for 10,000 rows when a chat opens: no splitting,
 * only a native scan for line breaks.
 */
export function estimateRowHeight(row: ListRow, width: number): number {
  if (row.kind === "day") return DAY_ROW_HEIGHT;
  if (row.kind === "file") return FILE_ROW_HEIGHT;
  // Bubbles take at most 80% of the list, less their padding.
  const perLine = Math.max(8, Math.floor((width * 0.8 - 24) / CHAR_WIDTH));
  const body = row.message.body;
  const length = Math.min(body.length, SCAN_LIMIT);
  let lines = 0;
  let start = 0;
  while (start <= length) {
    let end = body.indexOf("\n", start);
    if (end < 0 || end > length) end = length;
    lines += Math.max(1, Math.ceil((end - start) / perLine));
    start = end + 1;
  }
  const failure = row.message.state === "failed" ? 2 * LINE : 0;
  return (row.continued ? GAP_CONTINUED : GAP) + BUBBLE_CHROME +
    lines * LINE + failure;
}
