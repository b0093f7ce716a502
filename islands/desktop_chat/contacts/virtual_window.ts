// Which rows of a long list exist in the DOM: those in the scroll viewport,
// a few beyond it so a fast scroll does not show blanks, and the focused
// row, which must stay mounted so Tab can still reach the tree (WAI-ARIA
// APG: exactly one treeitem has tabindex 0).
import { type ReadonlySignal, useSignal } from "@preact/signals";
import { type RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";

/** Must match --dc-row in theme_css.ts: rows are placed by index. */
export const ROW_HEIGHT = 32;
const OVERSCAN = 6;

/** Indices to render, ascending. */
export function windowRows(
  count: number,
  first: number,
  visible: number,
  keep: number,
): number[] {
  // A list that shrank under a scrolled viewport: the browser clamps
  // scrollTop, so the last rows are the ones on screen.
  const top = Math.max(0, Math.min(first, count - visible));
  const start = Math.max(0, top - OVERSCAN);
  const end = Math.min(count, top + visible + OVERSCAN);
  const indices: number[] = [];
  if (keep >= 0 && keep < start) indices.push(keep);
  for (let i = start; i < end; i++) indices.push(i);
  if (keep >= end && keep < count) indices.push(keep);
  return indices;
}

export interface VirtualWindow {
  /** The first row at least partly in view. */
  readonly first: ReadonlySignal<number>;
  /** How many rows the viewport holds. */
  readonly visible: ReadonlySignal<number>;
  onScroll(): void;
  /** Scrolls the least distance that brings row `index` fully into view. */
  reveal(index: number): void;
  scrollToTop(): void;
}

export function useVirtualWindow(
  ref: RefObject<HTMLElement | null>,
): VirtualWindow {
  const first = useSignal(0);
  const visible = useSignal(0);
  useLayoutEffect(() => {
    const viewport = ref.current;
    if (!viewport) return;
    const measure = () => {
      visible.value = Math.ceil(viewport.clientHeight / ROW_HEIGHT) + 1;
    };
    measure();
    // The panel is resizable and the header above grows with a selection.
    const observer = new ResizeObserver(measure);
    observer.observe(viewport);
    return () => observer.disconnect();
  }, []);

  function sync(viewport: HTMLElement): void {
    first.value = Math.floor(viewport.scrollTop / ROW_HEIGHT);
  }

  return {
    first,
    visible,
    onScroll() {
      if (ref.current) sync(ref.current);
    },
    reveal(index) {
      const viewport = ref.current;
      if (!viewport) return;
      const top = index * ROW_HEIGHT;
      const bottom = top + ROW_HEIGHT - viewport.clientHeight;
      if (top < viewport.scrollTop) viewport.scrollTop = top;
      else if (bottom > viewport.scrollTop) viewport.scrollTop = bottom;
      sync(viewport);
    },
    scrollToTop() {
      const viewport = ref.current;
      if (!viewport) return;
      viewport.scrollTop = 0;
      sync(viewport);
    },
  };
}
