// What the hostile-input corpus test checks in the page (issue 14 item 7):
// a MutationObserver that records every element the page creates that is
// not the product's own UI, the text slots holding nothing but text, and
// the layout: panel and chat window in the viewport, rows not overflowing,
// names cut with an ellipsis.
import type { Page } from "playwright-core";

declare global {
  // The probe's record, on the page's window.
  var __foreign: string[] | undefined;
  // faultsNow, installed by scanList.
  var __layoutFaults: (() => string[]) | undefined;
}

/**
 * Where the product shows wire text: these hold text nodes only (a message
 * body also http(s) links from linkify, a row's detail the product's own
 * class-only spans).
 */
export const TEXT_SLOTS = [
  ".message-body",
  ".row-name",
  ".row-detail",
  ".chat-title",
  ".chat-subtitle",
  ".tab-name",
  ".toast-name",
  ".toast-body",
  "[role=menuitem]",
].join(",");

/**
 * From now on, records each created element or attribute change in the
 * document and the element's shadow root that no product view makes: the
 * tags below, any `on*` attribute, a link that is not http(s), and an SVG
 * that is not one of the product's own decorative icons.
 */
export function installProbe(page: Page): Promise<void> {
  return page.evaluate(() => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    if (!root) throw new Error("no desktop-chat shadow root");
    const FORBIDDEN = new Set([
      "script",
      "iframe",
      "frame",
      "frameset",
      "object",
      "embed",
      "img",
      "math",
      "style",
      "link",
      "base",
      "form",
      "meta",
      "marquee",
      "details",
      "foreignobject",
      "video",
      "audio",
      "template",
    ]);
    const ICON_PARTS = new Set([
      "path",
      "circle",
      "rect",
      "line",
      "polyline",
      "g",
    ]);
    const foreign: string[] = [];
    globalThis.__foreign = foreign;
    const describe = (element: Element) =>
      `<${element.localName}${
        Array.from(element.attributes, (a) =>
          ` ${a.name}="${a.value.slice(0, 40)}"`)
          .join("")
      }> in ${element.parentElement?.getAttribute("class") ?? "?"}`;
    const check = (element: Element) => {
      const tag = element.localName.toLowerCase();
      const svg = element.closest("svg");
      if (FORBIDDEN.has(tag)) foreign.push(describe(element));
      else if (
        svg !== null &&
        // The product's icons are decorative (hidden from assistive
        // technology or never focusable) and draw simple shapes only.
        ((svg.getAttribute("focusable") !== "false" &&
          svg.getAttribute("aria-hidden") !== "true") ||
          (element !== svg && !ICON_PARTS.has(tag)))
      ) foreign.push(describe(element));
      for (const attribute of Array.from(element.attributes)) {
        if (attribute.name.toLowerCase().startsWith("on")) {
          foreign.push(`${attribute.name} on ${describe(element)}`);
        }
      }
      const href = element.getAttribute("href") ??
        element.getAttribute("xlink:href");
      if (href !== null && !/^https?:\/\//i.test(href)) {
        foreign.push(`href ${href.slice(0, 40)} on ${describe(element)}`);
      }
    };
    const observer = new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "attributes") {
          if (record.target instanceof Element) check(record.target);
          continue;
        }
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          check(node);
          node.querySelectorAll("*").forEach(check);
        }
      }
    });
    const options = {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["href", "src", "xlink:href", "style", "srcdoc"],
    };
    observer.observe(document, options);
    observer.observe(root, options);
  });
}

/** What the probe recorded, plus text slots that hold anything but text. */
export function foreignElements(page: Page): Promise<string[]> {
  return page.evaluate((slots) => {
    const root = document.querySelector("desktop-chat")?.shadowRoot;
    const found = [...(globalThis.__foreign ?? [])];
    for (const slot of root?.querySelectorAll(slots) ?? []) {
      for (const child of slot.querySelectorAll("*")) {
        const link = child.localName === "a" && slot.matches(".message-body") &&
          /^https?:\/\//.test(child.getAttribute("href") ?? "") &&
          child.children.length === 0;
        // The product's own structure: spans with at most a class, a title
        // and aria-hidden (a menu item's label, identity notes), and its
        // decorative icons (the probe checks their parts).
        const span = child.localName === "span" &&
          Array.from(child.attributes).every((a) =>
            ["class", "title", "aria-hidden"].includes(a.name)
          );
        const icon = child.closest("svg")?.getAttribute("aria-hidden") ===
          "true";
        if (!link && !span && !icon) {
          found.push(`<${child.localName}> inside ${slot.className}`);
        }
      }
    }
    return found;
  }, TEXT_SLOTS);
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
