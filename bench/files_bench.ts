// Attachments in headless Chromium, the whole path of issue 15: random
// bytes → account.files.send on the sender's page (SHA-256, XEP-0363 slot,
// PUT to the server's upload service, the XEP-0447 offer) → the offer on
// the receiver's page (another browser context) → Accept → GET, size bound
// and SHA-256 check → the Blob, compared byte for byte with what was sent.
// Over BOSH and WebSocket alternately, against a loopback ejabberd
// (mod_http_upload), then the same against Prosody (mod_http_file_share,
// names prefixed `prosody.`); the bytes go over plain HTTP either way. MB
// is 1,000,000 bytes. Besides the required `<transport>.file.<size>.MBps`
// (the median run): the slowest run, the median of each part (prepare =
// hash and slot, upload, offer, download = GET and hash check), a bare XHR
// PUT and fetch GET of 5 MB in the same pages (files_floor.ts) and the
// page's SHA-256 of 5 MB, to show where the time goes.
//
//   npx -y deno@2 run -A bench/files_bench.ts           writes files.json
//   npx -y deno@2 run -A bench/files_bench.ts --quick   fewer runs, prints
import { type Browser, chromium, type Page } from "playwright-core";
import { CHROMIUM_ARGS } from "../tests/support/browser.ts";
import { startProsody, testUsers } from "../scripts/servers/prosody.ts";
import { startEjabberd } from "../tests/support/ejabberd.ts";
import { serveBenchPage, within } from "./support/bench_page.ts";
import { checkOneClock } from "./support/chat_pages.ts";
import type { FilesAgentConfig, FilesPageApi } from "./support/files_page.ts";
import { httpFloor } from "./support/files_floor.ts";
import {
  fileMetrics,
  sampleOf,
  sizeLabel,
  type TransferSample,
} from "./support/files_metrics.ts";
import { type Metric, round, writeResults } from "./support/results.ts";

const DOMAIN = "localhost";
const MB = 1_000_000;
/** One transfer, send to verified Blob; far above any sane figure. */
const TRANSFER_TIMEOUT_MS = 60_000;
const SIGNIN_TIMEOUT_MS = 30_000;
const TRANSPORTS = ["bosh", "ws"] as const;
const SERVERS = ["ejabberd", "prosody"] as const;
type ServerKind = typeof SERVERS[number];
type Transport = typeof TRANSPORTS[number];

export interface FilesBenchOptions {
  /** Three runs a size instead of seven and five (development). */
  readonly quick?: boolean;
}

type FilesWindow = { filesBench?: FilesPageApi };

async function openPage(browser: Browser, origin: string, who: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on("pageerror", (err) => console.error(`[${who}] ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      console.error(`[${who} ${msg.type()}] ${msg.text()}`);
    }
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => "filesBench" in globalThis);
  return page;
}

function signIn(page: Page, config: FilesAgentConfig): Promise<string> {
  return within(
    page.evaluate(
      (c) => (globalThis as FilesWindow).filesBench!.signIn(c),
      config,
    ),
    SIGNIN_TIMEOUT_MS,
    `${config.username} signing in`,
  );
}

/** One transfer sender → receiver, checked; its clock readings. */
async function transfer(
  sender: Page,
  receiver: Page,
  label: Transport,
  to: string,
  seed: number,
  size: number,
): Promise<TransferSample> {
  const sent = await within(
    sender.evaluate(
      ([label, to, seed, size]) =>
        (globalThis as FilesWindow).filesBench!.send(label, to, seed, size),
      [label, to, seed, size] as const,
    ),
    TRANSFER_TIMEOUT_MS,
    `sending ${size} bytes over ${label}`,
  );
  const got = await within(
    receiver.evaluate(
      ([id, ms]) => (globalThis as FilesWindow).filesBench!.received(id, ms),
      [sent.id, TRANSFER_TIMEOUT_MS] as const,
    ),
    TRANSFER_TIMEOUT_MS + 5_000,
    `receiving ${size} bytes over ${label}`,
  );
  if (got.bytes !== size || !got.identical) {
    throw new Error(`${label}: ${got.bytes} of ${size} bytes, not identical`);
  }
  return sampleOf(sent, got);
}

/** The accounts of one server: a sender and a receiver per transport. */
const USERS = { bosh: ["sb", "rb"], ws: ["sw", "rw"] } as const;

interface BenchServer extends AsyncDisposable {
  readonly boshUrl: string;
  readonly wsUrl: string;
  readonly uploadJid: string;
}

/** Each sender and receiver in each other's roster, and the floor's account. */
async function startBenchServer(
  kind: ServerKind,
  corsOrigin: string,
): Promise<BenchServer> {
  const item = (name: string) => ({
    jid: `${name}@${DOMAIN}`,
    groups: [],
    subscription: "both" as const,
  });
  const seed = {
    users: testUsers([...USERS.bosh, ...USERS.ws, "floor"]),
    roster: {
      sb: [item("rb")],
      rb: [item("sb")],
      sw: [item("rw")],
      rw: [item("sw")],
    },
  };
  const server = kind === "prosody"
    ? await startProsody({ ...seed, corsOrigins: [corsOrigin] })
    // Its upload answers CORS for any origin (tests/support/ejabberd_config.ts).
    : await startEjabberd(seed);
  const { uploadJid } = server;
  if (uploadJid === undefined) {
    await server[Symbol.asyncDispose]();
    throw new Error(`${kind} has no upload service`);
  }
  return {
    boshUrl: server.boshUrl,
    wsUrl: server.wsUrl,
    uploadJid,
    [Symbol.asyncDispose]: () => server[Symbol.asyncDispose](),
  };
}

/**
 * Runs the bench; the metrics of bench-format.md's files.json and more.
 * The required names are measured against ejabberd, whose upload takes
 * 5 MB on loopback in a few milliseconds, so they are the client's path;
 * the same figures against Prosody carry a `prosody.` prefix: Prosody 0.12
 * reads an upload 8 KiB per event-loop turn (see its floor).
 */
export async function measureFilesInChromium(
  options: FilesBenchOptions = {},
): Promise<Metric[]> {
  await using bench = await serveBenchPage("bench/support/files_page.ts");
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [...CHROMIUM_ARGS],
  });
  try {
    const metrics: Metric[] = [];
    for (const kind of SERVERS) {
      await using server = await startBenchServer(kind, bench.origin);
      const prefix = kind === "ejabberd" ? "" : `${kind}.`;
      for (const metric of await measureOn(server, browser, bench, options)) {
        metrics.push({ ...metric, name: prefix + metric.name });
      }
    }
    return metrics;
  } finally {
    await browser.close();
  }
}

async function measureOn(
  server: BenchServer,
  browser: Browser,
  bench: { readonly origin: string },
  options: FilesBenchOptions,
): Promise<Metric[]> {
  const runs = options.quick
    ? { [MB]: 3, [5 * MB]: 3 }
    : { [MB]: 7, [5 * MB]: 5 };
  const sender = await openPage(browser, bench.origin, "sender");
  const receiver = await openPage(browser, bench.origin, "receiver");
  try {
    const service = { bosh: server.boshUrl, ws: server.wsUrl };
    for (const label of TRANSPORTS) {
      const [from, to] = USERS[label];
      const config = (username: string) => ({
        label,
        service: service[label],
        domain: DOMAIN,
        username,
        password: `${username}-pw`,
      });
      await signIn(receiver, config(to));
      await receiver.evaluate(
        (l) => (globalThis as FilesWindow).filesBench!.acceptAll(l),
        label,
      );
      await signIn(sender, config(from));
      await sender.evaluate(
        ([l, c]) => (globalThis as FilesWindow).filesBench!.contactOnline(l, c),
        [label, `${to}@${DOMAIN}`] as const,
      );
    }
    await checkOneClock(sender, receiver);

    let seed = 1;
    const one = (label: Transport, size: number) =>
      transfer(
        sender,
        receiver,
        label,
        `${USERS[label][1]}@${DOMAIN}`,
        seed++,
        size,
      );
    // Warm-up (JIT, HTTP connections), not counted.
    for (const label of TRANSPORTS) await one(label, MB);
    const metrics: Metric[] = [];
    for (const size of [MB, 5 * MB]) {
      const samples: Record<Transport, TransferSample[]> = { bosh: [], ws: [] };
      // Alternating BOSH and WebSocket, so a slow spell of the shared
      // machine falls on both.
      for (let i = 0; i < runs[size]; i++) {
        for (const label of TRANSPORTS) {
          samples[label].push(await one(label, size));
        }
      }
      for (const label of TRANSPORTS) {
        metrics.push(
          ...fileMetrics(
            `${label}.file.${sizeLabel(size)}`,
            size,
            samples[label],
          ),
        );
      }
    }
    metrics.push(
      ...await httpFloor(
        {
          boshUrl: server.boshUrl,
          uploadJid: server.uploadJid,
          domain: DOMAIN,
          username: "floor",
          password: "floor-pw",
        },
        sender,
        receiver,
        5 * MB,
        sizeLabel(5 * MB),
        runs[5 * MB],
      ),
    );
    const hashMs = await receiver.evaluate(async (size) => {
      const api = (globalThis as FilesWindow).filesBench!;
      const times = [];
      for (let i = 0; i < 3; i++) times.push(await api.hashTime(size));
      return Math.min(...times);
    }, 5 * MB);
    metrics.push({
      name: "sha256.5mb.ms",
      value: round(hashMs),
      unit: "ms",
      n: 3,
    });
    await Promise.all(
      [sender, receiver].map((page) =>
        page.evaluate(() => (globalThis as FilesWindow).filesBench!.stop())
      ),
    );
    return metrics;
  } finally {
    await Promise.all([sender, receiver].map((page) => page.context().close()));
  }
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  const metrics = await measureFilesInChromium({ quick });
  if (quick) {
    for (const m of metrics) {
      console.log(
        `${m.name.padEnd(34)} ${String(m.value).padStart(10)} ${m.unit}`,
      );
    }
  } else {
    await writeResults("files.json", metrics);
  }
}
