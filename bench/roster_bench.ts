// The roster figures of bench-format.md (roster.json), measured on the real
// <desktop-chat> element in headless Chromium against the real service and a
// loopback Prosody: sign-in to a painted roster at 50 and 2,000 contacts,
// re-rendering and filtering 5,000, and the element's size on the wire.
// Every time is taken inside the page (support/roster_probe.ts).
import { join } from "node:path";
import { classicScript } from "./support/bench_page.ts";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import {
  type BuildManifest,
  bundleFileName,
} from "../routes/bundle_manifest.ts";
import { DESKTOP_CHAT_BUNDLE } from "../routes/paths.ts";
import { launchBrowser } from "../tests/support/browser.ts";
import {
  type Metric,
  percentile,
  round,
  writeResults,
} from "./support/results.ts";
import {
  type BenchAgent,
  benchAgent,
  type RosterFixture,
  startRosterFixture,
} from "./support/roster_fixture.ts";
import type { ProbeGlobal, ProbeTiming } from "./support/roster_probe.ts";

/** Fresh browser context per sign-in, so nothing is cached or restored. */
const SIGNIN_RUNS = 7;
/** Sign-outs timed, one context, each after a fresh sign-in (issue 12). */
const SIGNOUT_RUNS = 20;
const RENDER_RUNS = 15;
/**
 * Family names of seeded contacts (roster_fixture.ts), typed one key at a
 * time: 7 + 6 + 6 + 8 + 3 = 30 keystrokes, each narrowing a real list.
 */
const FILTER_WORDS = ["johnson", "garcia", "nguyen", "williams", "lee"];
/** Letters no seeded name, JID or group contains. */
const NO_MATCH = "zqxj";
const SIGNIN_TIMEOUT_MS = 60_000;
const SETTLE_TIMEOUT_MS = 20_000;
const VIEWPORT = { width: 1280, height: 800 };

const SIGNIN_SIZES = [50, 2000] as const;
const LARGE = 5000;

/**
 * The element's bytes as a browser downloads them: the encoded copies the
 * service sends (routes/content_coding.ts) of its minified JS bundle from
 * the build manifest plus any CSS esbuild emitted beside it (the element's
 * own styles are constructed from strings inside the JS): gzip, and Brotli
 * for the browsers that ask for it (Chromium does over https).
 */
export async function elementBytes(
  distDir: string,
  manifest: BuildManifest,
): Promise<Metric[]> {
  const script = bundleFileName(manifest, DESKTOP_CHAT_BUNDLE);
  const files = [script];
  // esbuild names a CSS sidecar after its entry: `[name]-[hash].css`.
  const stem = DESKTOP_CHAT_BUNDLE.replace(/\.js$/, "").replaceAll(".", "\\.");
  const sidecar = new RegExp(`^${stem}-[A-Z2-7]{8}\\.css$`);
  for await (const entry of Deno.readDir(distDir)) {
    if (entry.isFile && sidecar.test(entry.name)) files.push(entry.name);
  }
  const total = async (suffix: string) => {
    let bytes = 0;
    for (const file of files) {
      bytes += (await Deno.stat(join(distDir, file + suffix))).size;
    }
    return bytes;
  };
  return [
    { name: "element.bytes.gz", value: await total(".gz"), unit: "bytes" },
    { name: "element.bytes.br", value: await total(".br"), unit: "bytes" },
  ];
}

async function newBenchPage(
  browser: Browser,
  probe: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  await context.addInitScript({ content: probe });
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[page] ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      console.error(`[page ${msg.type()}] ${msg.text()}`);
    }
  });
  return { context, page };
}

/**
 * Opens the shell page and, once it has finished loading, the Desktop Chat
 * panel; fills the sign-in form. An agent signs in to chat on an agent
 * desktop that has long been open: clicking Sign In while the new page and
 * browser context are still starting (as a script can, within milliseconds)
 * added about 90 ms of start-up work to the 2,000-contact figure (medians
 * 289–298 ms against 187–229 ms after a pause, 24 runs each way).
 */
async function openSignInForm(
  page: Page,
  origin: string,
  agent: BenchAgent,
): Promise<Locator> {
  await page.goto(`${origin}/`);
  // Playwright's settled page: no request for 500 ms after the load event.
  await page.waitForLoadState("networkidle");
  const element = page.locator("desktop-chat");
  await element.getByRole("button", { name: "Desktop Chat", exact: true })
    .click();
  await element.getByLabel("Username", { exact: true })
    .fill(`${agent.username}@localhost`);
  await element.getByLabel("Password", { exact: true }).fill(agent.password);
  return element;
}

async function signIn(
  page: Page,
  element: Locator,
): Promise<ProbeTiming> {
  await page.evaluate(
    (ms) => (globalThis as unknown as ProbeGlobal).rosterProbe.armSignIn(ms),
    SIGNIN_TIMEOUT_MS,
  );
  await element.getByRole("button", { name: "Sign In", exact: true }).click();
  return await probeResult(page);
}

function probeResult(page: Page): Promise<ProbeTiming> {
  return page.evaluate(() =>
    (globalThis as unknown as ProbeGlobal).rosterProbe.result()
  );
}

/** Runs `act` (which fires one input event) and times it to a settled paint. */
async function settle(
  page: Page,
  act: () => Promise<void>,
): Promise<ProbeTiming> {
  await page.evaluate(
    (ms) => (globalThis as unknown as ProbeGlobal).rosterProbe.armSettle(ms),
    SETTLE_TIMEOUT_MS,
  );
  await act();
  return await probeResult(page);
}

function median(samples: readonly number[]): number {
  return round(percentile(samples.toSorted((a, b) => a - b), 50));
}

async function measureSignIn(
  browser: Browser,
  probe: string,
  origin: string,
  agent: BenchAgent,
): Promise<Metric> {
  const samples: number[] = [];
  for (let run = 0; run < SIGNIN_RUNS; run++) {
    const { context, page } = await newBenchPage(browser, probe);
    try {
      const element = await openSignInForm(page, origin, agent);
      const timing = await signIn(page, element);
      samples.push(timing.ms);
      console.error(
        `sign-in, ${agent.contacts} contacts: ${round(timing.ms)} ms ` +
          `(${timing.contactRows} contact rows in the DOM)`,
      );
    } finally {
      await context.close();
    }
  }
  return {
    name: `signin_to_roster.${agent.contacts}.ms`,
    value: median(samples),
    unit: "ms",
    n: samples.length,
  };
}

/**
 * Sign Out (state menu) → the sign-in form ready again, after a sign-in on
 * the same page each time, as an agent ending a shift and starting again.
 */
async function measureSignOut(
  browser: Browser,
  probe: string,
  origin: string,
  agent: BenchAgent,
): Promise<Metric> {
  const samples: number[] = [];
  const { context, page } = await newBenchPage(browser, probe);
  try {
    const element = await openSignInForm(page, origin, agent);
    const stateButton = element.getByRole("button", {
      name: /^Your chat state/,
    });
    for (let run = 0; run < SIGNOUT_RUNS; run++) {
      if (run > 0) {
        await element.getByLabel("Password", { exact: true })
          .fill(agent.password);
      }
      await signIn(page, element);
      await stateButton.click();
      const signOut = element.getByRole("menuitem", {
        name: "Sign Out",
        exact: true,
      });
      await signOut.waitFor();
      await page.evaluate(
        (ms) =>
          (globalThis as unknown as ProbeGlobal).rosterProbe.armSignOut(ms),
        SIGNIN_TIMEOUT_MS,
      );
      await signOut.click();
      samples.push((await probeResult(page)).ms);
    }
  } finally {
    await context.close();
  }
  console.error(`sign-out: ${samples.map((ms) => round(ms)).join(", ")} ms`);
  return {
    name: "signout.ms",
    value: median(samples),
    unit: "ms",
    n: samples.length,
  };
}

/** Times one step and checks the list it leaves: empty or not. */
async function filterStep(
  page: Page,
  act: () => Promise<void>,
  expect: "empty" | "rows",
  what: string,
): Promise<number> {
  const timing = await settle(page, act);
  if ((timing.contactRows === 0) !== (expect === "empty")) {
    throw new Error(
      `${what}: ${timing.contactRows} contact rows shown, expected ${expect}`,
    );
  }
  return timing.ms;
}

async function measureLargeRoster(
  browser: Browser,
  probe: string,
  origin: string,
  agent: BenchAgent,
): Promise<Metric[]> {
  const { context, page } = await newBenchPage(browser, probe);
  try {
    const element = await openSignInForm(page, origin, agent);
    const signedIn = await signIn(page, element);
    console.error(
      `sign-in, ${agent.contacts} contacts: ${round(signedIn.ms)} ms`,
    );
    const search = element.locator(
      'input[aria-label="Search contacts and directory"]',
    );

    // Re-rendering the whole list: a filter that hides every contact, then
    // clearing it (one input event each), timed from the clearing.
    const render: number[] = [];
    for (let run = 0; run < RENDER_RUNS; run++) {
      await filterStep(page, () => search.fill(NO_MATCH), "empty", NO_MATCH);
      render.push(
        await filterStep(page, () => search.fill(""), "rows", "cleared"),
      );
    }

    const filter: number[] = [];
    await search.focus();
    for (const word of FILTER_WORDS) {
      for (const key of word) {
        filter.push(
          await filterStep(
            page,
            () => page.keyboard.type(key),
            "rows",
            `typing ${word}`,
          ),
        );
      }
      await filterStep(page, () => search.fill(""), "rows", "cleared");
    }
    return [
      {
        name: `roster_render.${agent.contacts}.ms`,
        value: median(render),
        unit: "ms",
        n: render.length,
      },
      {
        name: `roster_filter.${agent.contacts}.ms`,
        value: median(filter),
        unit: "ms",
        n: filter.length,
      },
    ];
  } finally {
    await context.close();
  }
}

/** All five roster.json metrics, one Prosody and one browser for all. */
export async function measureRosterInChromium(): Promise<Metric[]> {
  const small = SIGNIN_SIZES.map(benchAgent);
  const large = benchAgent(LARGE);
  await using fixture: RosterFixture = await startRosterFixture([
    ...small,
    large,
  ]);
  console.error(
    `Prosody seeded (rosters of ${SIGNIN_SIZES.join(", ")} and ${LARGE} ` +
      `contacts) and started in ${Math.round(fixture.prosodyStartMs)} ms`,
  );
  const size = await elementBytes(fixture.distDir, fixture.manifest);
  const probe = await classicScript("bench/support/roster_probe.ts");
  const origin = fixture.service.origin;
  const browser = await launchBrowser();
  try {
    const metrics: Metric[] = [];
    for (const agent of small) {
      metrics.push(await measureSignIn(browser, probe, origin, agent));
    }
    metrics.push(await measureSignOut(browser, probe, origin, small[0]));
    metrics.push(...await measureLargeRoster(browser, probe, origin, large));
    metrics.push(...size);
    return metrics;
  } finally {
    await browser.close();
  }
}

if (import.meta.main) {
  await writeResults("roster.json", await measureRosterInChromium());
}
