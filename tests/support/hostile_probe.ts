// What the hostile-input corpus test checks in the page (issue 14 item 7)
// for inertness: a MutationObserver that records every element the page
// creates that is not the product's own UI, and the text slots holding
// nothing but text. The layout checks are in hostile_layout.ts.
import type { Page } from "playwright-core";

declare global {
  // The probe's record, on the page's window.
  var __foreign: string[] | undefined;
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
        // The product's own structure: spans and bidi isolates with at
        // most a class, a title, a direction and aria-hidden (a menu item's
        // label, identity notes), and its decorative icons (the probe
        // checks their parts).
        const span = ["span", "bdi"].includes(child.localName) &&
          Array.from(child.attributes).every((a) =>
            ["class", "title", "dir", "aria-hidden"].includes(a.name)
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
