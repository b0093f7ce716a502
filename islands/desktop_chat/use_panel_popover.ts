// The contacts panel as a popover under the launcher (issue 13, Part 2):
// as tall as the viewport below the launcher allows, and closed by Escape
// or a click anywhere outside the element (WAI-ARIA APG Disclosure; the
// usual behaviour of a header popover). The chat window is the element's
// too: working in it leaves the contacts open beside it, to start the next
// chat.
import type { RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";

/** Space kept between the panel's bottom and the viewport's. */
const BOTTOM_GAP = 12;
/** The gap between the launcher and the panel (panel_css.ts .popover top). */
const TOP_GAP = 6;

export function usePanelPopover(
  open: boolean,
  root: RefObject<HTMLElement | null>,
  close: (refocus: boolean) => void,
): void {
  // A layout effect: the height is right in the first frame that shows the
  // panel, and Escape and outside clicks close it from that frame on (an
  // effect runs only after a paint, when a quick click could slip past).
  useLayoutEffect(() => {
    const layout = root.current;
    if (!open || !layout) return;
    const fit = () => {
      const below = layout.getBoundingClientRect().bottom + TOP_GAP;
      layout.style.setProperty(
        "--dc-panel-height",
        `${Math.max(0, innerHeight - below - BOTTOM_GAP)}px`,
      );
    };
    const tree = layout.getRootNode();
    const host = tree instanceof ShadowRoot ? tree.host : layout;
    // Composed path: events inside the shadow root retarget to the host.
    const inWindow = (path: EventTarget[]) =>
      path.includes(host) && !path.includes(layout);
    // Escape handled inside (a dialog, a menu, the search field) is theirs.
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      const path = event.composedPath();
      if (!inWindow(path)) close(path.includes(layout));
    };
    const onPointer = (event: PointerEvent) => {
      if (!event.composedPath().includes(host)) close(false);
    };
    fit();
    addEventListener("resize", fit);
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer, true);
    return () => {
      removeEventListener("resize", fit);
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer, true);
    };
  }, [open]);
}
