// The service under abuse (issue 14): 200 desktops reading the chat server
// settings, once quiet and once while 300 slow clients and 1,000 wrong
// administrator passwords run alongside; reads must keep answering. The
// service (main.ts's start()) runs in a process of its own on loopback; the
// attackers come from other loopback addresses than the readers, so a
// per-address limit meets them and not the desktops. Written to
// bench/results/service.json; alone: `deno run -A bench/service_bench.ts`
// (`--quick`: short windows while developing, printed and not written).
import { CHAT_SERVER_SETTINGS_PATH } from "../routes/paths.ts";
import {
  type BadLoginStats,
  runBadLogins,
} from "./support/service_bad_logins.ts";
import { launchService, type ServiceLog } from "./support/service_launch.ts";
import { BENCH_ADMIN_USERNAME } from "./support/service_process.ts";
import {
  readerClient,
  readLoad,
  type ReadSamples,
} from "./support/service_readers.ts";
import {
  type SlowClientStats,
  startSlowClients,
} from "./support/service_slow_clients.ts";
import {
  type Metric,
  percentile,
  round,
  writeResults,
} from "./support/results.ts";

const HOST = "127.0.0.1";
const READERS_FROM = "127.0.0.1";
const SLOW_CLIENTS_FROM = "127.0.0.2";
const BAD_LOGINS_FROM = "127.0.0.3";

const READERS = 200;
const SLOW_CLIENTS = 300;
const BAD_LOGINS = 1_000;
const SLOW_BYTE_INTERVAL_MS = 1_000;
const READ_TIMEOUT_MS = 5_000;
const LOGIN_TIMEOUT_MS = 5_000;
// Enough that a slowed service, not the bench, limits how many guesses run.
const LOGINS_IN_FLIGHT = 50;

export interface ServiceBenchTiming {
  readonly quietWarmupMs: number;
  readonly quietWindowMs: number;
  /** The attack starts with it: slow clients connect, guessing begins. */
  readonly abuseWarmupMs: number;
  readonly abuseWindowMs: number;
}

/**
 * About 25 s in all, with the service's start and stop. The attack lasts
 * 14 s, past the service's default 10 s header timeout, so the slow clients
 * are cut off and come back inside the measured window.
 */
export const FULL_TIMING: ServiceBenchTiming = {
  quietWarmupMs: 1_000,
  quietWindowMs: 5_000,
  abuseWarmupMs: 2_000,
  abuseWindowMs: 12_000,
};

const QUICK_TIMING: ServiceBenchTiming = {
  quietWarmupMs: 500,
  quietWindowMs: 1_500,
  abuseWarmupMs: 1_000,
  abuseWindowMs: 3_000,
};

function readMetrics(prefix: string, samples: ReadSamples): Metric[] {
  const sorted = samples.latencies.toSorted((a, b) => a - b);
  const n = sorted.length;
  const stats: Metric[] = n === 0 ? [] : [
    {
      name: `${prefix}.p50.ms`,
      value: round(percentile(sorted, 50)),
      unit: "ms",
      n,
    },
    {
      name: `${prefix}.p99.ms`,
      value: round(percentile(sorted, 99)),
      unit: "ms",
      n,
    },
  ];
  for (const [kind, count] of samples.errorKinds) {
    console.error(`${prefix}: ${count} × ${kind}`);
  }
  return [
    ...stats,
    {
      name: `${prefix}.rps`,
      // Requests answered per second; bench-format.md's rate unit.
      value: Math.round(n / (samples.windowMs / 1000)),
      unit: "msg/s",
      n,
    },
    {
      name: `${prefix}.errors`,
      value: samples.errors,
      unit: "count",
      n: n + samples.errors,
    },
  ];
}

function count(name: string, value: number): Metric {
  return { name, value, unit: "count" };
}

function describe(map: ReadonlyMap<string | number, number>): string {
  return [...map].map(([what, n]) => `${n} × ${what}`).join(", ") || "none";
}

/** The readers again, with the slow clients and the password guessing alongside. */
async function underAttack(
  client: Deno.HttpClient,
  url: string,
  port: number,
  timing: ServiceBenchTiming,
): Promise<
  { abuse: ReadSamples; logins: BadLoginStats; slow: SlowClientStats }
> {
  const attackMs = timing.abuseWarmupMs + timing.abuseWindowMs;
  const slowClients = startSlowClients({
    host: HOST,
    port,
    localAddress: SLOW_CLIENTS_FROM,
    clients: SLOW_CLIENTS,
    byteIntervalMs: SLOW_BYTE_INTERVAL_MS,
  });
  try {
    const [abuse, logins] = await Promise.all([
      readLoad(client, {
        url,
        readers: READERS,
        warmupMs: timing.abuseWarmupMs,
        windowMs: timing.abuseWindowMs,
        timeoutMs: READ_TIMEOUT_MS,
      }),
      runBadLogins({
        host: HOST,
        port,
        localAddress: BAD_LOGINS_FROM,
        username: BENCH_ADMIN_USERNAME,
        attempts: BAD_LOGINS,
        // Over most of the attack, so the guesses overlap the measured window.
        spreadMs: attackMs * 0.9,
        maxInFlight: LOGINS_IN_FLIGHT,
        timeoutMs: LOGIN_TIMEOUT_MS,
        stopAfterMs: attackMs,
      }),
    ]);
    return { abuse, logins, slow: await slowClients.stop() };
  } catch (error) {
    await slowClients.stop();
    throw error;
  }
}

/** What the attackers met, in words, for the person running the bench. */
function describeAttack(
  logins: BadLoginStats,
  slow: SlowClientStats,
  log: ServiceLog,
): void {
  console.error(
    `bad logins: ${logins.sent} sent; answers ${describe(logins.statuses)}; ` +
      `unanswered ${describe(logins.failures)}`,
  );
  const byStatus = Map.groupBy(slow.cutOffs, (c) => c.status ?? "none");
  const cutOffs = new Map([...byStatus].map(([k, v]) => [k, v.length]));
  console.error(
    `slow clients: ${slow.connections} connections, ` +
      `${slow.cutOffs.length} cut off (${describe(cutOffs)}), ` +
      `${slow.failedConnects} failed to connect, ` +
      `${slow.openAtEnd} open at the end; errors ${describe(slow.errors)}`,
  );
  console.error(
    `service log: ${log.lines} lines` +
      (log.first.length > 0 ? `; first:\n  ${log.first.join("\n  ")}` : ""),
  );
}

function attackMetrics(
  logins: BadLoginStats,
  slow: SlowClientStats,
): Metric[] {
  // RFC 9110 §15.5.9: 408, the head did not arrive in time; §15.6.4: 503,
  // refused (here: the per-address connection bound).
  const timedOut = slow.cutOffs.filter((c) => c.status === 408)
    .map((c) => c.afterMs).toSorted((a, b) => a - b);
  const refused = slow.cutOffs.filter((c) => c.status === 503).length;
  let unanswered = 0;
  for (const n of logins.failures.values()) unanswered += n;
  return [
    count("abuse.slow_clients", slow.clients),
    count("abuse.slow_clients.connections", slow.connections),
    count("abuse.slow_clients.cut_off", slow.cutOffs.length),
    count("abuse.slow_clients.timed_out", timedOut.length),
    ...(timedOut.length === 0 ? [] : [{
      name: "abuse.slow_clients.timed_out_after.p50.ms",
      value: round(percentile(timedOut, 50)),
      unit: "ms" as const,
      n: timedOut.length,
    }]),
    count("abuse.slow_clients.refused", refused),
    count("abuse.slow_clients.open_at_end", slow.openAtEnd),
    count("abuse.bad_logins", logins.sent),
    count("abuse.bad_logins.refused", logins.statuses.get(429) ?? 0),
    count("abuse.bad_logins.unanswered", unanswered),
  ];
}

export async function measureService(
  timing: ServiceBenchTiming = FULL_TIMING,
): Promise<Metric[]> {
  const service = await launchService();
  const client = readerClient(READERS_FROM, READERS);
  try {
    const url = `http://${HOST}:${service.port}${CHAT_SERVER_SETTINGS_PATH}`;
    const quiet = await readLoad(client, {
      url,
      readers: READERS,
      warmupMs: timing.quietWarmupMs,
      windowMs: timing.quietWindowMs,
      timeoutMs: READ_TIMEOUT_MS,
    });
    const quietLogLines = service.log().lines;

    const { abuse, logins, slow } = await underAttack(
      client,
      url,
      service.port,
      timing,
    );
    const logLines = service.log().lines - quietLogLines;
    describeAttack(logins, slow, service.log());
    return [
      ...readMetrics("settings_read", quiet),
      ...readMetrics("abuse.settings_read", abuse),
      ...attackMetrics(logins, slow),
      count("abuse.service_log_lines", logLines),
    ];
  } finally {
    client.close();
    await service.stop();
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--quick")) {
    // Printed, not written: short windows on a busy machine are no result.
    for (const m of await measureService(QUICK_TIMING)) {
      console.log(
        `${m.name.padEnd(42)} ${String(m.value).padStart(10)} ${m.unit}`,
      );
    }
  } else {
    await writeResults("service.json", await measureService());
  }
}
