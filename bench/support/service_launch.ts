// Starts service_process.ts as a child process and stops it again. What the
// service writes to stderr is kept, not echoed: under abuse it may log a
// line per cut-off connection, and the bench reports how many there were.
import { fileURLToPath } from "node:url";
import type { ServiceListening } from "./service_process.ts";
import { within } from "./within.ts";

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;
/** Lines of the service's log kept to show; the rest are only counted. */
const LOG_LINES_KEPT = 5;

export interface ServiceLog {
  readonly lines: number;
  readonly first: readonly string[];
}

export interface BenchService {
  readonly port: number;
  /** Log lines (stderr) so far. */
  log(): ServiceLog;
  /** Stops the service and waits for the process to exit. */
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL("./service_process.ts", import.meta.url));
const CONFIG = fileURLToPath(new URL("../../deno.json", import.meta.url));

async function* lines(stream: ReadableStream<Uint8Array<ArrayBuffer>>) {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    pending += text;
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    yield* parts;
  }
  if (pending !== "") yield pending;
}

function parseListening(line: string): ServiceListening {
  const value: unknown = JSON.parse(line);
  if (
    typeof value === "object" && value !== null && "port" in value &&
    typeof value.port === "number"
  ) {
    return { port: value.port };
  }
  throw new Error(`the service's first line is not {"port": n}: ${line}`);
}

export async function launchService(): Promise<BenchService> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", CONFIG, ENTRY],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const log = { lines: 0, first: [] as string[] };
  const stderrDone = (async () => {
    for await (const line of lines(child.stderr)) {
      log.lines++;
      if (log.first.length < LOG_LINES_KEPT) log.first.push(line);
    }
  })();
  const stdin = child.stdin.getWriter();
  const stdout = lines(child.stdout);

  async function stop(): Promise<void> {
    try {
      await stdin.close();
    } catch (error) {
      // A child that already exited has closed its end: stopped already.
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    }
    let status: Deno.CommandStatus;
    try {
      status = await within(
        child.status,
        STOP_TIMEOUT_MS,
        "the service stopping",
      );
    } catch (error) {
      // Only this child, by its own handle: it did not stop when asked.
      child.kill("SIGKILL");
      await child.status;
      throw error;
    } finally {
      // Drains what is left so both pipes close.
      for await (const _line of stdout) { /* after the port line: nothing */ }
      await stderrDone;
    }
    if (!status.success) {
      throw new Error(
        `the service exited with code ${status.code}:\n${log.first.join("\n")}`,
      );
    }
  }

  let listening: ServiceListening;
  try {
    const first = await within(
      stdout.next(),
      STARTUP_TIMEOUT_MS,
      "the service starting",
    );
    if (first.done) {
      await stderrDone;
      throw new Error(
        `the service exited before listening:\n${log.first.join("\n")}`,
      );
    }
    listening = parseListening(first.value);
  } catch (error) {
    await stop().catch((stopError: unknown) => {
      console.error(
        `service bench: stopping after a failed start: ${stopError}`,
      );
    });
    throw error;
  }
  return { port: listening.port, log: () => ({ ...log }), stop };
}
