// What the hostile-input corpus test checks of the layout (issue 14 item
// 7): panel and chat window in the viewport, rows not overflowing, names
// cut with an ellipsis and keeping their beginning; and the walk through
// a virtual list that checks every row of it.
import type { Page } from "playwright-core";

declare global {
  // faultsNow, installed by scanList.
  var __layoutFaults: (() => string[]) | undefined;
}

/**
 * Layout faults of what is mounted now: the panel or chat window outside
 * the viewport, a row wider than its box, a name cut without an ellipsis.
 * Runs in the page (self-contained: Playwright sends its source).
 */
function faultsNow(): string[] {
  const root = document.querySelector("desktop-chat")?.shadowRoot;
  if (!root) return ["no desktop-chat"];
  const faults: string[] = [];
  const label = (element: Element) => {
    const row = element.closest("[data-jid], [data-message-id]");
    return `${element.getAttribute("class") ?? element.localName} ${
      row?.getAttribute("data-jid") ?? row?.getAttribute("data-message-id") ??
        ""
    }`;
  };
  const { innerWidth: width, innerHeight: height } = globalThis;
  for (const selector of [".panel", "section.chat-window"]) {
    const element = root.querySelector(selector);
    if (!element || element.closest("[hidden]")) continue;
    const box = element.getBoundingClientRect();
    if (
      box.left < -1 || box.top < -1 || box.right > width + 1 ||
      box.bottom > height + 1
    ) {
      faults.push(
        `${selector} outside the ${width}×${height} viewport: ` +
          `${Math.round(box.left)},${Math.round(box.top)} → ` +
          `${Math.round(box.right)},${Math.round(box.bottom)}`,
      );
    }
  }
  // Nothing in the window spills out of its frame.
  const frame = root.querySelector("section.chat-window");
  if (
    frame && frame.getAttribute("data-minimised") !== "true" &&
    (frame.scrollHeight > frame.clientHeight + 1 ||
      frame.scrollWidth > frame.clientWidth + 1)
  ) {
    faults.push(
      `the chat window's content overflows: ${frame.scrollWidth}×` +
        `${frame.scrollHeight} in ${frame.clientWidth}×${frame.clientHeight}`,
    );
  }
  const rows = root.querySelectorAll(
    ".tree-row, .message-row, .chat-tab-item, .toast, [role=menuitem], " +
      ".chat-heading",
  );
  for (const row of rows) {
    if (row.scrollWidth > row.clientWidth + 1) {
      faults.push(
        `${label(row)} overflows: ${row.scrollWidth} > ${row.clientWidth}`,
      );
    }
  }
  const names = root.querySelectorAll(
    ".row-name, .row-detail, .row-state, .row-status, .tab-name, .chat-title, " +
      ".toast-name, .toast-body",
  );
  for (const name of names) {
    if (name.scrollWidth <= name.clientWidth + 1) continue;
    const style = getComputedStyle(name);
    const clamped = style.webkitLineClamp !== "none" &&
      style.webkitLineClamp !== "";
    if (style.textOverflow !== "ellipsis" && !clamped) {
      faults.push(`${label(name)} cut without an ellipsis`);
    }
    // A cut name keeps its beginning (its end goes to the ellipsis), in
    // either direction; a box too narrow for a letter shows the ellipsis.
    const text = name.firstChild;
    if (text instanceof Text && text.length > 0) {
      const range = document.createRange();
      const first = text.data.codePointAt(0) ?? 0;
      range.setStart(text, 0);
      range.setEnd(text, first > 0xffff ? 2 : 1);
      const glyph = range.getBoundingClientRect();
      const box = name.getBoundingClientRect();
      if (
        glyph.width > 0 && box.width >= 2 * glyph.width &&
        (glyph.left < box.left - 1 || glyph.right > box.right + 1)
      ) faults.push(`${label(name)} cut at its beginning`);
    }
  }
  return faults;
}

export function layoutFaults(page: Page): Promise<string[]> {
  return page.evaluate(faultsNow);
}

/** What a scan of a virtual list saw. */
export interface Scanned {
  readonly faults: string[];
  /** Each row's key attribute → its name and detail (or message) text. */
  readonly rows: Record<string, { name: string; detail: string }>;
}

/**
 * Scrolls `scroller` (a virtual list) from top to bottom a screen at a
 * time, in the page, collecting the layout faults and the rows (those with
 * the `key` attribute) mounted at each stop. Consecutive windows touch, so
 * no row is skipped, however tall.
 */
export async function scanList(
  page: Page,
  scroller: string,
  key: string,
): Promise<Scanned> {
  // Through the debugger protocol, which a page's CSP (no eval) leaves be.
  await page.evaluate(`globalThis.__layoutFaults = ${faultsNow.toString()}`);
  return page.evaluate(
    async ({ scroller, key }) => {
      const faultsHere = globalThis.__layoutFaults;
      if (!faultsHere) throw new Error("no __layoutFaults");
      const root = document.querySelector("desktop-chat")?.shadowRoot;
      const list = root?.querySelector<HTMLElement>(scroller);
      if (!list) throw new Error(`no ${scroller}`);
      // Two frames: the scroll event's render, then its measurements.
      const rendered = () =>
        new Promise((resolve) =>
          requestAnimationFrame(() => requestAnimationFrame(resolve))
        );
      const seen: Scanned = { faults: [], rows: {} };
      const collect = () => {
        seen.faults.push(...faultsHere());
        for (const row of list.querySelectorAll(`[${key}]`)) {
          seen.rows[row.getAttribute(key) ?? ""] = {
            name: row.querySelector(".row-name")?.textContent ?? "",
            detail: (row.querySelector(".row-detail") ??
              row.querySelector(".message-body"))?.textContent ?? "",
          };
        }
      };
      // Rows measured near the top change the heights: settle there first.
      for (let i = 0; i < 5; i++) {
        list.scrollTop = 0;
        await rendered();
      }
      for (let stop = 0; stop < 1000; stop++) {
        collect();
        if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
        list.scrollTop += list.clientHeight;
        await rendered();
      }
      return seen;
    },
    { scroller, key },
  );
}

/**
 * Scrolls `scroller` (a virtual list) until a row matching `selector` is
 * mounted, then brings it to the middle; false if there is none.
 */
export function revealRow(
  page: Page,
  scroller: string,
  selector: string,
): Promise<boolean> {
  return page.evaluate(async ({ scroller, selector }) => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    const list = root?.querySelector<HTMLElement>(scroller);
    if (!list) throw new Error(`no ${scroller}`);
    const rendered = () =>
      new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(resolve))
      );
    list.scrollTop = 0;
    await rendered();
    for (let stop = 0; stop < 1000; stop++) {
      const row = list.querySelector(selector);
      if (row) {
        row.scrollIntoView({ block: "center" });
        await rendered();
        return true;
      }
      if (list.scrollTop + list.clientHeight >= list.scrollHeight - 1) break;
      list.scrollTop += list.clientHeight;
      await rendered();
    }
    return false;
  }, { scroller, selector });
}
