// The pages of the chat bench: agents signed in to the real element on the
// shell page (one browser context each, chat_probe.ts installed), the bare
// headless client of transport_idle_page.ts, and the checks that two
// contexts read one clock.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import type { IdlePageApi } from "../transport_idle_page.ts";
import {
  type ChatBenchUser,
  type ChatFixture,
  DOMAIN,
  jidOf,
  passwordOf,
} from "./chat_fixture.ts";
import type { ChatProbeGlobal, RowMatch } from "./chat_probe.ts";

export const VIEWPORT = { width: 1366, height: 768 };
const SIGNIN_TIMEOUT_MS = 30_000;

export interface AgentPage {
  readonly context: BrowserContext;
  readonly page: Page;
  /** The <desktop-chat> element (locators pierce its shadow root). */
  readonly element: Locator;
}

function logPageErrors(page: Page, who: string): void {
  page.on("pageerror", (err) => console.error(`[${who}] ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      console.error(`[${who} ${msg.type()}] ${msg.text()}`);
    }
  });
}

/**
 * A new context on the shell page, signed in as `user` through the element's
 * form (seed "Sign In to Desktop Chat"), its contact list shown.
 */
export async function openAgent(
  browser: Browser,
  fixture: ChatFixture,
  user: ChatBenchUser,
): Promise<AgentPage> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  context.setDefaultTimeout(SIGNIN_TIMEOUT_MS);
  await context.addInitScript({ content: fixture.probe });
  const page = await context.newPage();
  logPageErrors(page, user.username);
  await page.goto(`${fixture.service.origin}/`);
  await page.waitForLoadState("networkidle");
  const element = page.locator("desktop-chat");
  await element.getByRole("button", { name: "Desktop Chat", exact: true })
    .click();
  await element.getByLabel("Username", { exact: true }).fill(jidOf(user));
  await element.getByLabel("Password", { exact: true }).fill(passwordOf(user));
  await element.getByRole("button", { name: "Sign In", exact: true }).click();
  await element.getByRole("tree", { name: "Contacts" }).waitFor();
  return { context, page, element };
}

type ProbeWindow = ChatProbeGlobal;
type BareWindow = { idleBench?: IdlePageApi };

export function armRow(
  page: Page,
  match: RowMatch,
  timeoutMs: number,
): Promise<void> {
  return page.evaluate(
    ([m, ms]) => (globalThis as unknown as ProbeWindow).chatProbe.armRow(m, ms),
    [match, timeoutMs] as const,
  );
}

/** Absolute time after the frame that showed the armed row. */
export function rowPainted(page: Page): Promise<number> {
  return page.evaluate(() =>
    (globalThis as unknown as ProbeWindow).chatProbe.rowPainted()
  );
}

export interface BareClient {
  readonly page: Page;
  /** Its full JID: it sends no presence, so only this reaches it. */
  readonly jid: string;
}

/** The bare headless client page (transport_idle_page.ts), signed in. */
export async function openBareClient(
  browser: Browser,
  fixture: ChatFixture,
  user: ChatBenchUser,
): Promise<BareClient> {
  const context = await browser.newContext();
  const page = await context.newPage();
  logPageErrors(page, `${user.username} (bare client)`);
  await page.goto(`${fixture.benchPage.origin}/`);
  await page.waitForFunction(() => "idleBench" in globalThis);
  const jid = await page.evaluate(
    (config) => (globalThis as BareWindow).idleBench!.signIn(config),
    {
      service: fixture.prosody.boshUrl,
      domain: DOMAIN,
      username: user.username,
      password: passwordOf(user),
    },
  );
  return { page, jid };
}

/** Sends one message from a bare client; its absolute send time. */
export function bareSend(page: Page, to: string, id: string): Promise<number> {
  return page.evaluate(
    ([to, id]) => (globalThis as BareWindow).idleBench!.send(to, id),
    [to, id] as const,
  );
}

/** The absolute time message `id` reached a bare client. */
export function bareArrival(
  page: Page,
  id: string,
  timeoutMs: number,
): Promise<number> {
  return page.evaluate(
    ([id, ms]) => (globalThis as BareWindow).idleBench!.arrival(id, ms),
    [id, timeoutMs] as const,
  );
}

/**
 * `count` messages `<tag>0`… sent back-to-back from inside the page (no
 * round trip to the bench between them); the absolute time of the first
 * send, taken before it was handed to the client.
 */
export function bareBurst(
  page: Page,
  to: string,
  tag: string,
  count: number,
): Promise<number> {
  return page.evaluate(async ([to, tag, count]) => {
    const api = (globalThis as BareWindow).idleBench!;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < count; i++) sends.push(api.send(to, `${tag}${i}`));
    return (await Promise.all(sends))[0];
  }, [to, tag, count] as const);
}

export async function stopBareClient(page: Page): Promise<void> {
  await page.evaluate(() => (globalThis as BareWindow).idleBench!.stop());
  await page.context().close();
}

/**
 * Both pages must read one clock. Reads A, B, A in turn: B's reading must
 * fall between A's two (give or take 1 ms), on the tightest of 20 brackets;
 * otherwise a latency across the two contexts would be meaningless.
 */
export async function checkOneClock(a: Page, b: Page): Promise<number> {
  const read = (page: Page) =>
    page.evaluate(() => performance.timeOrigin + performance.now());
  let best = { width: Infinity, low: 0, high: 0 };
  for (let i = 0; i < 20; i++) {
    const before = await read(a);
    const middle = await read(b);
    const after = await read(a);
    if (after - before < best.width) {
      best = {
        width: after - before,
        low: before - middle,
        high: after - middle,
      };
    }
  }
  // offset = A's clock − B's, within [low, high].
  if (best.low > 1 || best.high < -1) {
    throw new Error(
      `the two contexts' clocks differ: A − B in [${best.low.toFixed(2)}, ` +
        `${best.high.toFixed(2)}] ms`,
    );
  }
  return best.width;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
