// Password guessing against the administrator: `POST /api/admin/login` with
// a wrong password, each on a connection of its own from the attacker's
// address, paced evenly over a span so they run alongside the readers
// rather than in one burst before them.
import { connect } from "node:net";

export interface BadLoginOptions {
  readonly host: string;
  readonly port: number;
  readonly localAddress: string;
  readonly username: string;
  readonly attempts: number;
  /** The attempts start evenly over this many milliseconds. */
  readonly spreadMs: number;
  /** At most this many attempts wait for an answer at once. */
  readonly maxInFlight: number;
  /** An attempt still unanswered after this is given up. */
  readonly timeoutMs: number;
  /** No attempt starts after this many milliseconds: the bench is bounded. */
  readonly stopAfterMs: number;
}

export interface BadLoginStats {
  /** Attempts sent (fewer than asked when the service slowed them past `stopAfterMs`). */
  readonly sent: number;
  /** Attempts answered, by HTTP status. */
  readonly statuses: ReadonlyMap<number, number>;
  /** Attempts without an answer: the reason, and how often. */
  readonly failures: ReadonlyMap<string, number>;
}

function loginRequest(options: BadLoginOptions, attempt: number): string {
  const body = JSON.stringify({
    username: options.username,
    password: `wrong password ${attempt}`,
  });
  // RFC 9112 §3 and §6.2: a request head, Content-Length framing, and
  // `Connection: close` so the server ends the connection after answering.
  return [
    "POST /api/admin/login HTTP/1.1",
    `Host: ${options.host}:${options.port}`,
    "Content-Type: application/json",
    `Content-Length: ${new TextEncoder().encode(body).byteLength}`,
    "Connection: close",
    "",
    body,
  ].join("\r\n");
}

/** Sends one attempt; resolves to its status, or to why there was none. */
function attempt(
  options: BadLoginOptions,
  i: number,
): Promise<number | string> {
  return new Promise((resolve) => {
    let received = "";
    let settled = false;
    const finish = (result: number | string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const socket = connect({
      host: options.host,
      port: options.port,
      localAddress: options.localAddress,
    });
    const timer = setTimeout(
      () => finish("no answer in time"),
      options.timeoutMs,
    );
    socket.setEncoding("latin1");
    socket.on("connect", () => socket.write(loginRequest(options, i)));
    socket.on("data", (chunk: string) => {
      received += chunk;
      // RFC 9112 §4: the status line is `HTTP/1.1 <3 digits> <reason>`.
      const status = received.match(/^HTTP\/1\.[01] (\d{3}) /);
      if (status) finish(Number(status[1]));
      else if (received.includes("\r\n")) finish("not an HTTP answer");
    });
    socket.on("error", (error: Error & { code?: string }) => {
      finish(error.code ?? error.name);
    });
    socket.on("close", () => finish("closed without an answer"));
  });
}

export async function runBadLogins(
  options: BadLoginOptions,
): Promise<BadLoginStats> {
  const statuses = new Map<number, number>();
  const failures = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  let sent = 0;
  for (let i = 0; i < options.attempts; i++) {
    const due = started + (i * options.spreadMs) / options.attempts;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    while (inFlight.size >= options.maxInFlight) await Promise.race(inFlight);
    if (performance.now() - started > options.stopAfterMs) break;
    sent++;
    const done = attempt(options, i).then((result) => {
      if (typeof result === "number") {
        statuses.set(result, (statuses.get(result) ?? 0) + 1);
      } else {
        failures.set(result, (failures.get(result) ?? 0) + 1);
      }
      inFlight.delete(done);
    });
    inFlight.add(done);
  }
  await Promise.all(inFlight);
  return { sent, statuses, failures };
}
