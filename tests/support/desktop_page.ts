// The agent desktop page as a browser test drives it: the shell page with
// the chat element opened, the chat's controls by role and name (what an
// agent and a screen reader see), sign-in and the ••• menus. Shared by the
// browser tests under tests/browser.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { RunningService } from "./browser.ts";

/** The chat's controls on `page`, found by role and accessible name. */
export function chat(page: Page) {
  return {
    launcher: page.getByRole("button", { name: "Desktop Chat", exact: true }),
    username: page.getByLabel("Username"),
    password: page.getByLabel("Password"),
    signIn: page.getByRole("button", { name: "Sign In" }),
    alert: page.getByRole("alert"),
    tree: page.getByRole("tree", { name: "Contacts" }),
    search: page.getByRole("combobox", {
      name: "Search contacts and directory",
    }),
    results: page.getByRole("listbox", { name: "Directory results" }),
    stateButton: page.getByRole("button", { name: /^Your chat state/ }),
    dialog: (name: string | RegExp) => page.getByRole("dialog", { name }),
    /** A contact's row, in `group` when given. */
    contact: (jid: string, group?: string) =>
      page.locator(
        `[role=treeitem][data-jid="${jid}"]${
          group === undefined ? "" : `[data-group="${group}"]`
        }`,
      ),
    group: (name: string) =>
      page.locator(`[role=treeitem][aria-level="1"][data-group="${name}"]`),
    recentChats: page.locator(
      "[role=treeitem][aria-level='1'][data-recent-chats]",
    ),
  };
}

export interface DesktopPage {
  readonly context: BrowserContext;
  readonly page: Page;
}

export interface OpenDesktopOptions {
  readonly viewport?: { readonly width: number; readonly height: number };
}

/**
 * A new browser context (its own storage, so no node cached by an earlier
 * context) on the shell page, with the chat opened from its icon. Page
 * errors, console errors and warnings go to the test's stderr.
 */
export async function openDesktop(
  browser: Browser,
  service: RunningService,
  options: OpenDesktopOptions = {},
): Promise<DesktopPage> {
  const context = await browser.newContext({
    viewport: { ...(options.viewport ?? { width: 1100, height: 760 }) },
  });
  // A missing element fails its step in seconds rather than the default 30.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`[page] ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      console.error(`[page ${message.type()}] ${message.text()}`);
    }
  });
  await page.goto(`${service.origin}/?agent=Test%20Agent`);
  await chat(page).launcher.click();
  return { context, page };
}

/** Seed "Sign In to Desktop Chat", step 2. */
export async function signIn(
  page: Page,
  username: string,
  password: string,
): Promise<void> {
  const ui = chat(page);
  await ui.username.fill(username);
  await ui.password.fill(password);
  await ui.signIn.click();
}

/** Opens the menu behind `button` (a ••• or the state button), picks `item`. */
export async function menuAction(
  page: Page,
  button: Locator,
  item: string,
  role: "menuitem" | "menuitemradio" = "menuitem",
): Promise<void> {
  await button.hover();
  await button.click();
  await page.getByRole(role, { name: item, exact: true }).click();
}

/** Seed "Sign Out of Desktop Chat": the state menu's Sign Out. */
export async function signOut(page: Page): Promise<void> {
  const ui = chat(page);
  await menuAction(page, ui.stateButton, "Sign Out");
  await ui.signIn.waitFor();
}
