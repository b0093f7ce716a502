// One ResizeObserver for every mounted row of the message list: rows report
// their own height when they mount and whenever it changes (a wrap, a
// width change, a failure line), and the list never reads layout itself,
// so scrolling forces no synchronous layout (no thrash).
import type { RefObject } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";

/** The attribute a measured row carries its list key in. */
export const ROW_KEY_ATTRIBUTE = "data-row-key";

export interface RowObserver {
  observe(element: Element): void;
  unobserve(element: Element): void;
  /** Forgets every size and measures each mounted row again. */
  remeasure(): void;
  disconnect(): void;
}

/** `onSizes` gets each reported row's key and border-box height. */
export function createRowObserver(
  onSizes: (sizes: ReadonlyMap<string, number>) => void,
): RowObserver {
  const mounted = new Set<Element>();
  const observer = new ResizeObserver((entries) => {
    const sizes = new Map<string, number>();
    for (const entry of entries) {
      const key = entry.target.getAttribute(ROW_KEY_ATTRIBUTE);
      const box = entry.borderBoxSize[0];
      // 0 is a row not rendered (the window minimised, as a refresh brings
      // it back), never its height: kept, it would stack every row on one
      // line until each changed (Resize Observer §3.1, no box → 0×0).
      if (key !== null && box !== undefined && box.blockSize > 0) {
        sizes.set(key, box.blockSize);
      }
    }
    if (sizes.size > 0) onSizes(sizes);
  });
  return {
    observe(element) {
      mounted.add(element);
      observer.observe(element);
    },
    unobserve(element) {
      mounted.delete(element);
      observer.unobserve(element);
    },
    remeasure() {
      // Observing again delivers a fresh first observation (Resize
      // Observer §3.3: lastReportedSizes starts at 0×0).
      for (const element of mounted) {
        observer.unobserve(element);
        observer.observe(element);
      }
    },
    disconnect() {
      mounted.clear();
      observer.disconnect();
    },
  };
}

/** A ref for a row element that `observer` measures while it is mounted. */
export function useMeasuredRow<T extends Element>(
  observer: RowObserver,
): RefObject<T | null> {
  const ref = useRef<T>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element === null) return;
    observer.observe(element);
    return () => observer.unobserve(element);
  }, [observer]);
  return ref;
}
