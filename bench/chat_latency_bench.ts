// message_to_paint (issue 13): agent A presses Enter in the composer of the
// real element, agent B's element shows the message; A and B in separate
// browser contexts over BOSH, one message at a time with B idle. In the same
// run, alternating block by block, the transport alone at the same pace
// (transport_idle_bench.ts's procedure on bare clients in two more
// contexts), so the UI's share is the difference of the two.
import type { Browser, Locator, Page } from "playwright-core";
import { type ChatFixture, jidOf, USERS } from "./support/chat_fixture.ts";
import {
  type AgentPage,
  armRow,
  checkOneClock,
  openAgent,
  openBareClient,
  rowPainted,
  stopBareClient,
} from "./support/chat_pages.ts";
import type { ChatProbeGlobal } from "./support/chat_probe.ts";
import {
  idlePause,
  messageBlock as transportBlock,
} from "./transport_idle_bench.ts";

const BLOCK = 10;
const WARMUP = 10;
const STEP_TIMEOUT_MS = 10_000;

export interface LatencySamples {
  /** Enter in A → the frame showing the message in B, milliseconds. */
  readonly messageToPaint: readonly number[];
  /** Bare client send → stanza read by the other bare client. */
  readonly transport: readonly number[];
}

function armEnter(page: Page): Promise<void> {
  return page.evaluate(
    (ms) => (globalThis as unknown as ChatProbeGlobal).chatProbe.armEnter(ms),
    STEP_TIMEOUT_MS,
  );
}

function enterAt(page: Page): Promise<number> {
  return page.evaluate(() =>
    (globalThis as unknown as ChatProbeGlobal).chatProbe.enterAt()
  );
}

/**
 * One sample: A types the text (its composing notification reaches B),
 * waits 120–170 ms so B's long poll is pending again and B is idle, then
 * presses Enter; timed from A's keydown to B's frame.
 */
export async function oneMessage(
  a: Page,
  composer: Locator,
  b: Page,
  text: string,
): Promise<number> {
  await composer.fill(text);
  await idlePause();
  await armRow(b, { body: text, direction: "in" }, STEP_TIMEOUT_MS);
  await armEnter(a);
  await composer.press("Enter");
  const pressed = await enterAt(a);
  const painted = await rowPainted(b);
  return painted - pressed;
}

async function messageBlock(
  a: Page,
  composer: Locator,
  b: Page,
  count: number,
  tag: string,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    samples.push(await oneMessage(a, composer, b, `${tag}${i} from Alice`));
  }
  return samples;
}

/** A opens the chat with B from its contact list; B's window pops. */
export async function openChat(a: AgentPage, b: AgentPage): Promise<Locator> {
  await a.element.locator(
    `[role=treeitem][data-jid="${jidOf(USERS.bob)}"]`,
  ).first().click();
  const composer = a.element.locator('textarea[aria-label="Message"]');
  // fill waits until the composer is enabled: B must be shown online.
  await oneMessage(a.page, composer, b.page, "hello Bob");
  return composer;
}

export async function measureMessageToPaint(
  browser: Browser,
  fixture: ChatFixture,
  samples: number,
): Promise<LatencySamples> {
  const bob = await openAgent(browser, fixture, USERS.bob);
  const alice = await openAgent(browser, fixture, USERS.alice);
  const ta = await openBareClient(browser, fixture, USERS.ta);
  const tb = await openBareClient(browser, fixture, USERS.tb);
  try {
    const width = await checkOneClock(alice.page, bob.page);
    await checkOneClock(ta.page, tb.page);
    console.error(`clocks of A and B agree (bracket ${width.toFixed(2)} ms)`);
    const composer = await openChat(alice, bob);
    await messageBlock(alice.page, composer, bob.page, WARMUP, "w");
    await transportBlock(ta.page, tb.page, tb.jid, WARMUP, "w");
    const messageToPaint: number[] = [];
    const transport: number[] = [];
    for (let block = 0; block * BLOCK < samples; block++) {
      const count = Math.min(BLOCK, samples - block * BLOCK);
      messageToPaint.push(
        ...await messageBlock(
          alice.page,
          composer,
          bob.page,
          count,
          `m${block}-`,
        ),
      );
      transport.push(
        ...await transportBlock(ta.page, tb.page, tb.jid, count, `t${block}-`),
      );
    }
    return { messageToPaint, transport };
  } finally {
    await Promise.all([stopBareClient(ta.page), stopBareClient(tb.page)]);
    await Promise.all([alice.context.close(), bob.context.close()]);
  }
}
