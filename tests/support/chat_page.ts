// The chat window as browser tests drive it (issue 13 DOM contract): its
// parts by the contract's selectors and names, a desktop page whose
// Notification constructor is observed (wrapped, the real one still runs),
// and WCAG contrast arithmetic for checking what a test sees.
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { RunningService } from "./browser.ts";
import { chat } from "./desktop_page.ts";

/** The window's parts on `page`. */
export function chatWindow(page: Page) {
  const window = page.locator("section.chat-window");
  const tabs = window.locator("[role=tablist]");
  return {
    window,
    header: window.locator(".chat-window-header"),
    title: window.locator(".chat-title"),
    unreadCount: window.locator(".chat-unread-count"),
    tabs: tabs.getByRole("tab"),
    tab: (name: string) => tabs.getByRole("tab", { name }),
    more: page.getByRole("button", { name: "More chats", exact: true }),
    composer: window.locator('textarea[aria-label="Message"]'),
    log: window.locator("[role=log].message-list"),
    minimise: page.getByRole("button", { name: "Minimise chat" }),
    restore: page.getByRole("button", { name: "Restore chat" }),
    larger: page.getByRole("button", { name: "Larger window" }),
    smaller: page.getByRole("button", { name: "Smaller window" }),
    closeAll: page.getByRole("button", { name: "Close all chats" }),
    confirm: page.getByRole("alertdialog", { name: "Close all chats?" }),
    toast: page.locator(".toast[role=status]"),
    launcher: page.locator("button.launcher"),
  };
}

/** Types `text` in the active chat's composer and sends it with Enter. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  const composer = chatWindow(page).composer;
  await composer.fill(text);
  await composer.press("Enter");
}

export interface ChatDesktopOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Grants the notifications permission to the service's origin. */
  readonly notifications?: boolean;
}

export interface ChatDesktop {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Title and body of every `new Notification(...)` the page made. */
  notifications(): Promise<{ title: string; body: string }[]>;
  /** Clicks the `index`th notification, as the agent would in the OS. */
  clickNotification(index: number): Promise<void>;
}

declare global {
  // The wrapper's record, on the page's window.
  var __notifications:
    | { title: string; body: string; note: Notification }[]
    | undefined;
}

/**
 * Like openDesktop (desktop_page.ts), with the Notification constructor
 * wrapped before any script runs: each call is recorded and the real
 * constructor still makes the real notification.
 */
export async function openChatDesktop(
  browser: Browser,
  service: RunningService,
  options: ChatDesktopOptions = {},
): Promise<ChatDesktop> {
  const context = await browser.newContext({
    viewport: { ...(options.viewport ?? { width: 1366, height: 768 }) },
  });
  context.setDefaultTimeout(10_000);
  if (options.notifications) {
    await context.grantPermissions(["notifications"], {
      origin: service.origin,
    });
  }
  await context.addInitScript(() => {
    const Real = globalThis.Notification;
    if (typeof Real !== "function") return;
    globalThis.__notifications = [];
    class Recorded extends Real {
      constructor(title: string, init?: NotificationOptions) {
        super(title, init);
        globalThis.__notifications?.push({
          title,
          body: init?.body ?? "",
          note: this,
        });
      }
    }
    globalThis.Notification = Recorded;
  });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page] ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      console.error(`[page error] ${message.text()}`);
    }
  });
  await page.goto(`${service.origin}/?agent=Test%20Agent`);
  await chat(page).launcher.click();
  return {
    context,
    page,
    notifications: () =>
      page.evaluate(() =>
        (globalThis.__notifications ?? []).map(({ title, body }) => ({
          title,
          body,
        }))
      ),
    clickNotification: (index) =>
      page.evaluate((at) => {
        globalThis.__notifications?.[at]?.note.dispatchEvent(
          new Event("click"),
        );
      }, index),
  };
}

/** The window's box, read from the page. */
export async function box(page: Page) {
  const rect = await chatWindow(page).window.boundingBox();
  assert.ok(rect, "the chat window is on screen");
  return rect;
}

/** Waits for the window's `attribute` to read `value` (renders are async). */
export function windowWith(page: Page, attribute: string, value: string) {
  return chatWindow(page).window.and(
    page.locator(`[${attribute}="${value}"]`),
  ).waitFor();
}

/** The window's box lies in the viewport, once the page has re-rendered. */
export async function insideViewport(page: Page): Promise<void> {
  const view = page.viewportSize();
  assert.ok(view);
  await page.waitForFunction(
    ({ width, height }) => {
      const host = document.querySelector("desktop-chat");
      const element = host?.shadowRoot?.querySelector("section.chat-window");
      const rect = element?.getBoundingClientRect();
      return rect !== undefined && rect.left >= 0 && rect.top >= 0 &&
        rect.right <= width && rect.bottom <= height;
    },
    view,
    { timeout: 3000 },
  );
}

/**
 * Another page of the same context in front: the desktop loses focus.
 * Playwright makes every page report focus (CDP focus emulation); that is
 * turned off for the desktop's page while it is behind.
 */
export async function lookAway(
  desk: ChatDesktop,
): Promise<() => Promise<void>> {
  const cdp = await desk.context.newCDPSession(desk.page);
  await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: false });
  const other = await desk.context.newPage();
  await other.bringToFront();
  assert.equal(await desk.page.evaluate(() => document.hasFocus()), false);
  return async () => {
    await other.close();
    await desk.page.bringToFront();
    await cdp.send("Emulation.setFocusEmulationEnabled", { enabled: true });
    await cdp.detach();
  };
}

/** The contacts panel open (a click in the chat window closes it). */
export async function openPanel(page: Page): Promise<void> {
  const launcher = chat(page).launcher;
  if (await launcher.getAttribute("aria-expanded") !== "true") {
    await launcher.click();
  }
}

/** WCAG 2.x relative luminance of an `rgb()`/`rgba()` colour. */
export function luminance(color: string): number {
  const parts = color.match(/[\d.]+/g)?.slice(0, 3).map(Number);
  if (parts === undefined || parts.length !== 3) {
    throw new Error(`not an rgb() colour: ${color}`);
  }
  const [r, g, b] = parts.map((value) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of two opaque colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** `text` exactly, any run of whitespace matching any whitespace. */
function exactly(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^${escaped.replace(/\s+/g, "\\s+")}$`);
}

/** The message row of the active chat whose body is exactly `text`. */
export function messageRow(page: Page, text: string): Locator {
  return chatWindow(page).log.locator("[data-message-id]").filter({
    has: page.locator(".message-body", { hasText: exactly(text) }),
  });
}

/** Whether `target` lies inside the visible part of the message list. */
export async function inLogView(page: Page, target: Locator): Promise<boolean> {
  const [box, log] = [
    await target.boundingBox(),
    await chatWindow(page).log.boundingBox(),
  ];
  return box !== null && log !== null && box.y >= log.y - 1 &&
    box.y + box.height <= log.y + log.height + 1;
}
