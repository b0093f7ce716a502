// Where each row of the message list sits, for a virtual list whose rows
// differ in height: measured heights where the browser has laid a row out,
// estimates elsewhere. Plain arithmetic on arrays, so a 10,000-row chat is
// laid out in well under a millisecond and nothing here touches the DOM.
import type { ListRow } from "./message_rows.ts";

/** Within this many pixels of the end counts as "at the bottom". */
export const BOTTOM_SLACK = 24;

/**
 * offsets[i] is the top of row i; offsets[rows.length] is the total height.
 */
export function layoutRows(
  count: number,
  heightOf: (index: number) => number,
): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + heightOf(i);
  return offsets;
}

/** The row covering `y` (clamped to the rows there are); -1 when none. */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return -1;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid] <= y) low = mid;
    else high = mid - 1;
  }
  return low;
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
  offsets: Float64Array,
  top: number,
  height: number,
  overscan: number,
): RowRange {
  const count = offsets.length - 1;
  if (count <= 0) return { start: 0, end: 0 };
  const start = rowAt(offsets, Math.max(0, top - overscan));
  const end = rowAt(offsets, top + height + overscan) + 1;
  return { start, end: Math.min(count, end) };
}

export function isAtBottom(
  scrollTop: number,
  viewport: number,
  total: number,
): boolean {
  return total - (scrollTop + viewport) <= BOTTOM_SLACK;
}

/** A row and how far its top is below the viewport's top, to hold still. */
export interface Anchor {
  readonly key: string;
  readonly delta: number;
}

export function anchorAt(
  keys: readonly string[],
  offsets: Float64Array,
  scrollTop: number,
): Anchor | undefined {
  const index = rowAt(offsets, scrollTop);
  if (index < 0) return undefined;
  return { key: keys[index], delta: offsets[index] - scrollTop };
}

/**
 * The scrollTop that puts the anchor row where it was, after rows above it
 * were measured, added or dropped; undefined when the row is gone.
 */
export function scrollTopFor(
  anchor: Anchor,
  indexOf: ReadonlyMap<string, number>,
  offsets: Float64Array,
): number | undefined {
  const index = indexOf.get(anchor.key);
  if (index === undefined) return undefined;
  return Math.max(0, offsets[index] - anchor.delta);
}

// What an unmeasured row is guessed to take, from conversation_css.ts's
// sizes: a day heading, and a bubble of wrapped 13px/1.4 text.
export const DAY_ROW_HEIGHT = 34;
const LINE = 18;
const BUBBLE_CHROME = 2 * 6 + 16; // padding + the time line
const GAP = 8;
const GAP_CONTINUED = 2;
const CHAR_WIDTH = 7;
// Bodies are bounded by the store; this caps the estimate's own work.
const SCAN_LIMIT = 4_000;

/** A guess close enough that scrolling into unmeasured rows barely jumps. */
export function estimateRowHeight(row: ListRow, width: number): number {
  if (row.kind === "day") return DAY_ROW_HEIGHT;
  // Bubbles take at most 80% of the list, less their padding.
  const perLine = Math.max(8, Math.floor((width * 0.8 - 24) / CHAR_WIDTH));
  const body = row.message.body.slice(0, SCAN_LIMIT);
  let lines = 0;
  for (const paragraph of body.split("\n")) {
    lines += Math.max(1, Math.ceil(paragraph.length / perLine));
  }
  const failure = row.message.state === "failed" ? 2 * LINE : 0;
  return (row.continued ? GAP_CONTINUED : GAP) + BUBBLE_CHROME +
    lines * LINE + failure;
}
