// The chat window under load (issue 13), on agent dave's real element:
// bursts of 500 incoming messages from a bare client in another browser
// context (first sent → last painted), alternating with the same bursts to a
// bare client (the transport alone), then a chat of 10,000 messages filled
// by a headless client over WebSocket, opened from its tab and scrolled from
// the bottom to the top and back while Chromium traces the page's main
// thread (chat_trace.ts: every task's duration, not only those of 50 ms and
// more a 'longtask' observer reports).
import type { Browser, Page } from "playwright-core";
import {
  type ChatBenchUser,
  type ChatFixture,
  jidOf,
  USERS,
} from "./support/chat_fixture.ts";
import { fillHistory } from "./support/chat_history_fill.ts";
import {
  type AgentPage,
  armRow,
  bareArrival,
  bareBurst,
  type BareClient,
  bareSend,
  openAgent,
  openBareClient,
  rowPainted,
  sleep,
  stopBareClient,
} from "./support/chat_pages.ts";
import type {
  ChatProbeGlobal,
  RowMatch,
  ScrollOutcome,
} from "./support/chat_probe.ts";
import {
  longestTask,
  type TaskReport,
  TRACE_CATEGORIES,
  traceEvents,
} from "./support/chat_trace.ts";

export const BURST = 500;
const BURST_TIMEOUT_MS = 30_000;
const OPEN_TIMEOUT_MS = 10_000;
/** Generous: how fast the element takes 10,000 messages in is not timed. */
const FILL_TIMEOUT_MS = 300_000;
/** Lets the page finish whatever a burst left behind before the next. */
const SETTLE_MS = 1_000;

export interface RenderSamples {
  /** First sent → last painted, one per burst, and the transport alone. */
  readonly bursts: BurstSamples;
  /** Tab click → the newest message painted, one per switch. */
  readonly openMs: readonly number[];
  readonly tasks: TaskReport;
  /** 'longtask' entries (≥ 50 ms) the page itself saw in the same window. */
  readonly longTasks: readonly number[];
  readonly scroll: ScrollOutcome;
}

function tab(agent: AgentPage, user: ChatBenchUser) {
  return agent.element.getByRole("tab").filter({ hasText: user.name });
}

/** Clicks `user`'s tab and waits until the frame showing `match`. */
export async function switchTo(
  agent: AgentPage,
  user: ChatBenchUser,
  match: RowMatch,
  timeoutMs: number,
): Promise<void> {
  await armRow(agent.page, match, timeoutMs);
  await tab(agent, user).click();
  await rowPainted(agent.page);
}

/** Tab click → the frame showing `match`, in milliseconds. */
export async function timedOpen(
  agent: AgentPage,
  user: ChatBenchUser,
  match: RowMatch,
): Promise<number> {
  await agent.page.evaluate(
    ([m, ms]) =>
      (globalThis as unknown as ChatProbeGlobal).chatProbe.armOpen(m, ms),
    [match, OPEN_TIMEOUT_MS] as const,
  );
  await tab(agent, user).click();
  return await agent.page.evaluate(() =>
    (globalThis as unknown as ChatProbeGlobal).chatProbe.opened()
  );
}

export interface BurstSamples {
  /** First sent → last painted in dave's window. */
  readonly ui: number[];
  /** First sent → last read by a bare client: the transport alone. */
  readonly transport: number[];
}

/**
 * `count` bursts from `sender` to dave, timed, each followed by one to the
 * bare client `floor` when given (the same bursts without the element);
 * before the first burst of the page (`prefix` "b"), a message that pops
 * dave's window on the chat.
 */
export async function bursts(
  dave: AgentPage,
  sender: Page,
  count: number,
  prefix = "b",
  floor?: BareClient,
): Promise<BurstSamples> {
  const to = jidOf(USERS.dave);
  if (prefix === "b") {
    await armRow(dave.page, { id: "hello" }, OPEN_TIMEOUT_MS);
    await bareSend(sender, to, "hello");
    await rowPainted(dave.page);
    await sleep(SETTLE_MS);
  }
  const samples: BurstSamples = { ui: [], transport: [] };
  for (let k = 0; k < count; k++) {
    const tag = `${prefix}${k}-`;
    await armRow(dave.page, { id: `${tag}${BURST - 1}` }, BURST_TIMEOUT_MS);
    const first = await bareBurst(sender, to, tag, BURST);
    samples.ui.push(await rowPainted(dave.page) - first);
    await sleep(SETTLE_MS);
    if (floor) {
      const bare = `${prefix}${k}-floor-`;
      const sent = await bareBurst(sender, floor.jid, bare, BURST);
      const last = await bareArrival(
        floor.page,
        `${bare}${BURST - 1}`,
        BURST_TIMEOUT_MS,
      );
      samples.transport.push(last - sent);
      await sleep(SETTLE_MS);
    }
  }
  return samples;
}

/** Mark, run, mark, inside one Chromium trace; the page's longest task. */
async function traced<T>(
  browser: Browser,
  page: Page,
  run: () => Promise<T>,
): Promise<{ result: T; tasks: TaskReport; longTasks: number[] }> {
  await browser.startTracing(page, { categories: [...TRACE_CATEGORIES] });
  const since = await page.evaluate(() =>
    (globalThis as unknown as ChatProbeGlobal).chatProbe.mark(
      "chat-bench:start",
    )
  );
  let result: T;
  try {
    result = await run();
  } finally {
    await page.evaluate(() =>
      (globalThis as unknown as ChatProbeGlobal).chatProbe.mark(
        "chat-bench:end",
      )
    );
  }
  const trace = new TextDecoder().decode(await browser.stopTracing());
  const longTasks = await page.evaluate(
    (since) =>
      (globalThis as unknown as ChatProbeGlobal).chatProbe.longTasks(since),
    since,
  );
  return {
    result,
    tasks: longestTask(
      traceEvents(trace),
      "chat-bench:start",
      "chat-bench:end",
    ),
    longTasks,
  };
}

export async function measureChatRender(
  browser: Browser,
  fixture: ChatFixture,
  burstCount: number,
  history: number,
  openRuns: number,
): Promise<RenderSamples> {
  const { carol, erin } = USERS;
  const dave = await openAgent(browser, fixture, USERS.dave);
  try {
    const sender = await openBareClient(browser, fixture, erin);
    const floor = await openBareClient(browser, fixture, USERS.tb);
    let burstSamples: BurstSamples;
    try {
      burstSamples = await bursts(dave, sender.page, burstCount, "b", floor);
    } finally {
      await Promise.all([
        stopBareClient(sender.page),
        stopBareClient(floor.page),
      ]);
    }
    const erinsLast: RowMatch = burstCount > 0
      ? { id: `b${burstCount - 1}-${BURST - 1}` }
      : { id: "hello" };
    const newest: RowMatch = { id: `h${history - 1}` };

    const filled = performance.now();
    await fillHistory(fixture, carol, jidOf(USERS.dave), history);
    await switchTo(dave, carol, newest, FILL_TIMEOUT_MS);
    console.error(
      `${history} messages sent and shown in ` +
        `${((performance.now() - filled) / 1000).toFixed(1)} s`,
    );
    await switchTo(dave, erin, erinsLast, OPEN_TIMEOUT_MS);
    await sleep(SETTLE_MS);

    const { result, tasks, longTasks } = await traced(
      browser,
      dave.page,
      async () => {
        const openMs: number[] = [];
        for (let run = 0; run < openRuns; run++) {
          if (run > 0) await switchTo(dave, erin, erinsLast, OPEN_TIMEOUT_MS);
          openMs.push(await timedOpen(dave, carol, newest));
        }
        const scroll = await dave.page.evaluate(
          ([first, last]) =>
            (globalThis as unknown as ChatProbeGlobal).chatProbe
              .scrollThrough(first, last),
          ["h0", newest.id!] as const,
        );
        return { openMs, scroll };
      },
    );
    if (!result.scroll.sawFirst) {
      throw new Error(
        `the oldest of ${history} messages (h0) was not in the list at its ` +
          "top: the conversation does not hold them all",
      );
    }
    return { bursts: burstSamples, ...result, tasks, longTasks };
  } finally {
    await dave.context.close();
  }
}
