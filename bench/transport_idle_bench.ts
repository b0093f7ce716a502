// Message latency at the pace agents live in (issue 12): sender and receiver
// in separate browser contexts, as two agents on two desktops; after each
// receipt a pause of 120–170 ms before the next message, so the receiver's
// long poll is pending when a message comes, as it is in a real chat. Blocks
// alternate our client with the hand-written BOSH exchange (`raw_bosh`), the
// floor of any fetch-based client, against the same Prosody in the same run.
import type { BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../tests/support/browser.ts";
import { startProsody } from "../scripts/servers/prosody.ts";
import {
  parseBody,
  sessionCreationBody,
} from "../shared/xmpp/transport/bosh_body.ts";
import { randomRid } from "../shared/xmpp/transport/bosh_session.ts";
import { readBoshBody } from "../shared/xmpp/transport/bosh_http.ts";
import { serveBenchPage, within } from "./support/bench_page.ts";
import { idleMetrics, type Metric } from "./support/results.ts";
import type { IdlePageApi, RawRequest } from "./transport_idle_page.ts";

const MESSAGES = 300;
const BLOCK = 30;
const WARMUP = 20;
const PAUSE_MS = [120, 170] as const;
const STEP_TIMEOUT_MS = 10_000;

type Api = { idleBench?: IdlePageApi };

async function openPage(context: BrowserContext, origin: string) {
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page] ${err.message}`));
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => "idleBench" in globalThis);
  return page;
}

/**
 * Both pages must read one clock: their offsets from the bench server's may
 * differ by no more than the estimates' own uncertainty (half a round trip
 * each).
 */
async function checkClocks(pages: readonly Page[]): Promise<void> {
  const checks = [];
  for (const page of pages) {
    checks.push(
      await page.evaluate(() => (globalThis as Api).idleBench!.checkClock(100)),
    );
  }
  const [a, b] = checks;
  const spread = Math.abs(a.offset - b.offset);
  if (spread > (a.rtt + b.rtt) / 2) {
    throw new Error(
      `the two contexts' clocks differ by ${spread.toFixed(2)} ms`,
    );
  }
}

/** The idle pace: 120–170 ms after each receipt, as agents chat. */
export function idlePause(): Promise<void> {
  const [low, high] = PAUSE_MS;
  const ms = low + Math.random() * (high - low);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `count` messages from a bare client to another, one at a time at the idle pace; latencies in ms. */
export async function messageBlock(
  sender: Page,
  receiver: Page,
  to: string,
  count: number,
  tag: string,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const id = `${tag}${i}`;
    const sent = await sender.evaluate(
      ([to, id]) => (globalThis as Api).idleBench!.send(to, id),
      [to, id] as const,
    );
    const arrived = await receiver.evaluate(
      ([id, ms]) => (globalThis as Api).idleBench!.arrival(id, ms),
      [id, STEP_TIMEOUT_MS] as const,
    );
    samples.push(arrived - sent);
    await idlePause();
  }
  return samples;
}

/** One BOSH session shared by two pages: one holds, the other releases. */
async function rawSession(url: string) {
  let rid = randomRid();
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8" },
    body: sessionCreationBody({
      rid: rid++,
      to: "localhost",
      wait: 60,
      hold: 1,
    }),
  });
  const created = parseBody(await readBoshBody(res));
  const sid = "attrs" in created ? created.attrs.sid : undefined;
  if (!sid) throw new Error(`${url} did not create a BOSH session`);
  return { next: (): RawRequest => ({ url, sid, rid: rid++ }) };
}

async function rawBlock(
  poker: Page,
  holder: Page,
  session: Awaited<ReturnType<typeof rawSession>>,
  count: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    // The holder re-arms at once, as a client re-polls after an answer.
    await holder.evaluate(
      (req) => (globalThis as Api).idleBench!.rawHold(req),
      session.next(),
    );
    await idlePause();
    const sent = await poker.evaluate(
      (req) => (globalThis as Api).idleBench!.rawPoke(req),
      session.next(),
    );
    const read = await holder.evaluate(
      (ms) => (globalThis as Api).idleBench!.rawAnswered(ms),
      STEP_TIMEOUT_MS,
    );
    samples.push(read - sent);
  }
  return samples;
}

/** Runs the idle-pace bench; each agent in its own browser context. */
export async function measureIdleLatencyInChromium(): Promise<Metric[]> {
  await using server = await serveBenchPage("bench/transport_idle_page.ts");
  await using prosody = await startProsody({
    users: [
      { username: "alice", password: "alice-pw" },
      { username: "bob", password: "bob-pw" },
    ],
    corsOrigins: [server.origin],
  });
  const browser = await launchBrowser();
  try {
    const [alice, bob] = await Promise.all(
      [0, 1].map(async () =>
        openPage(await browser.newContext(), server.origin)
      ),
    );
    const signIn = (page: Page, username: string) =>
      page.evaluate((config) => (globalThis as Api).idleBench!.signIn(config), {
        service: prosody.boshUrl,
        domain: "localhost",
        username,
        password: `${username}-pw`,
      });
    await checkClocks([alice, bob]);
    await signIn(alice, "alice");
    const bobJid = await signIn(bob, "bob");
    const raw = await rawSession(prosody.boshUrl);
    await messageBlock(alice, bob, bobJid, WARMUP, "w");
    await rawBlock(alice, bob, raw, WARMUP);
    const ours: number[] = [];
    const floor: number[] = [];
    for (let block = 0; block < MESSAGES / BLOCK; block++) {
      ours.push(...await messageBlock(alice, bob, bobJid, BLOCK, `b${block}-`));
      floor.push(...await rawBlock(alice, bob, raw, BLOCK));
    }
    await within(
      Promise.all(
        [alice, bob].map((page) =>
          page.evaluate(() => (globalThis as Api).idleBench!.stop())
        ),
      ),
      STEP_TIMEOUT_MS,
      "signing out",
    );
    return idleMetrics(ours, floor);
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  for (const m of await measureIdleLatencyInChromium()) {
    console.log(
      `${m.name.padEnd(40)} ${String(m.value).padStart(10)} ${m.unit}`,
    );
  }
}
