// Sign-in and sign-out, 100 in a row over BOSH, in Deno and in headless
// Chromium, against Prosody and against ejabberd (issue 12: ejabberd froze
// when a later rid overtook an earlier one, and sign-out waited out a 10 s
// timer). Written to bench/results/signin.json.
import { launchBrowser } from "../tests/support/browser.ts";
import { startEjabberd } from "../tests/support/ejabberd.ts";
import { startProsody } from "../scripts/servers/prosody.ts";
import { serveBenchPage, within } from "./support/bench_page.ts";
import {
  type Metric,
  percentile,
  round,
  writeResults,
} from "./support/results.ts";
import {
  signInLoop,
  type SignInLoopConfig,
  type SignInLoopResult,
} from "./support/signin_loop.ts";

const RUNS = 100;
const USER = { username: "agent", password: "agent-pw" };
const PAGE_TIMEOUT_MS = 300_000;

type Runtime = "deno" | "chromium";

function loopMetrics(
  prefix: string,
  result: SignInLoopResult,
): Metric[] {
  const stat = (name: string, samples: number[]): Metric[] => {
    const sorted = samples.toSorted((a, b) => a - b);
    const n = sorted.length;
    if (n === 0) return [];
    return [
      {
        name: `${prefix}.${name}.p50`,
        value: round(percentile(sorted, 50)),
        unit: "ms",
        n,
      },
      {
        name: `${prefix}.${name}.max`,
        value: round(sorted[n - 1]),
        unit: "ms",
        n,
      },
    ];
  };
  for (const failure of result.failures) console.error(`${prefix}: ${failure}`);
  return [
    {
      name: `${prefix}.online`,
      value: result.signIn.length,
      unit: "count",
      n: RUNS,
    },
    ...stat("signin", result.signIn),
    ...stat("signout", result.signOut),
  ];
}

async function inChromium(
  origin: string,
  config: SignInLoopConfig,
): Promise<SignInLoopResult> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    page.on("pageerror", (err) => console.error(`[page] ${err.message}`));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "signInLoop" in globalThis);
    return await within(
      page.evaluate(
        (cfg) =>
          (globalThis as { signInLoop?: typeof signInLoop }).signInLoop!(cfg),
        config,
      ),
      PAGE_TIMEOUT_MS,
      "the in-page sign-in loop",
    );
  } finally {
    await browser.close();
  }
}

async function measure(
  server: string,
  boshUrl: string,
  origin: string,
): Promise<Metric[]> {
  const config = { service: boshUrl, domain: "localhost", ...USER, runs: RUNS };
  const metrics: Metric[] = [];
  for (const runtime of ["deno", "chromium"] satisfies Runtime[]) {
    const result = runtime === "deno"
      ? await signInLoop(config)
      : await inChromium(origin, config);
    metrics.push(...loopMetrics(`signin_loop.${server}.${runtime}`, result));
  }
  return metrics;
}

export async function measureSignInLoops(): Promise<Metric[]> {
  await using page = await serveBenchPage("bench/signin_loop_page.ts");
  const metrics: Metric[] = [];
  {
    await using prosody = await startProsody({
      users: [USER],
      corsOrigins: [page.origin],
    });
    metrics.push(...await measure("prosody", prosody.boshUrl, page.origin));
  }
  {
    // ejabberd's mod_bosh answers any origin (ejabberd-notes.md).
    await using ejabberd = await startEjabberd({ users: [USER] });
    metrics.push(...await measure("ejabberd", ejabberd.boshUrl, page.origin));
  }
  return metrics;
}

if (import.meta.main) {
  await writeResults("signin.json", await measureSignInLoops());
}
