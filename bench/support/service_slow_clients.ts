// Slow clients (the "slowloris" attack): each opens a connection and sends a
// request head one byte at a time, slowly, never reaching the empty line that
// ends it (RFC 9112 §2.1), so a server without a header read timeout keeps
// the connection, and its slot, forever. A client the server cuts off
// connects again after a pause, as an attacker would.
import { connect, type Socket } from "node:net";

const RECONNECT_PAUSE_MS = 250;

export interface SlowClientOptions {
  readonly host: string;
  readonly port: number;
  /** The attackers' source address (any of 127.0.0.0/8 on Linux). */
  readonly localAddress: string;
  readonly clients: number;
  /** Milliseconds between two bytes of one client. */
  readonly byteIntervalMs: number;
}

export interface SlowClientStats {
  readonly clients: number;
  /** Connections that were established. */
  readonly connections: number;
  /** Established connections the server closed, one entry each. */
  readonly cutOffs: readonly CutOff[];
  /** Connections that failed before being established. */
  readonly failedConnects: number;
  /** Connections still open when the clients stopped. */
  readonly openAtEnd: number;
  /** Socket errors by code (a reset, a refused connection). */
  readonly errors: ReadonlyMap<string, number>;
}

export interface CutOff {
  /** The status the server answered with before closing (408, 503), if any. */
  readonly status: number | undefined;
  /** How long the connection had lasted, in ms. */
  readonly afterMs: number;
}

export interface SlowClients {
  stop(): Promise<SlowClientStats>;
}

function slowHead(host: string, port: number): Generator<number> {
  const head = new TextEncoder().encode(
    `GET /api/chat-server-settings HTTP/1.1\r\nHost: ${host}:${port}\r\n`,
  );
  const pad = new TextEncoder().encode("X-Slow: ");
  return (function* () {
    yield* head;
    // A header field that never ends: the head is never complete.
    for (;;) yield* pad;
  })();
}

export function startSlowClients(options: SlowClientOptions): SlowClients {
  let running = true;
  const stats = {
    connections: 0,
    cutOffs: [] as CutOff[],
    failedConnects: 0,
    errors: new Map<string, number>(),
  };
  let open = 0;
  const sockets = new Set<Socket>();
  const closed = new Set<Promise<void>>();
  const timers = new Set<ReturnType<typeof setTimeout>>();

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  function client(): void {
    if (!running) return;
    const socket = connect({
      host: options.host,
      port: options.port,
      localAddress: options.localAddress,
    });
    sockets.add(socket);
    let connectedAt: number | undefined;
    let drip: ReturnType<typeof setInterval> | undefined;
    const bytes = slowHead(options.host, options.port);
    socket.on("connect", () => {
      connectedAt = performance.now();
      stats.connections++;
      open++;
      drip = setInterval(() => {
        socket.write(new Uint8Array([bytes.next().value ?? 0x20]));
      }, options.byteIntervalMs);
    });
    let answer = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      // Only the status line matters (RFC 9112 §4).
      if (answer.length < 64) answer += chunk;
    });
    socket.on("error", (error: Error & { code?: string }) => {
      const code = error.code ?? error.name;
      stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
    });
    closed.add(
      new Promise((resolve) => {
        socket.on("close", () => {
          clearInterval(drip);
          sockets.delete(socket);
          if (connectedAt !== undefined) open--;
          if (running) {
            if (connectedAt === undefined) {
              stats.failedConnects++;
            } else {
              const status = answer.match(/^HTTP\/1\.[01] (\d{3}) /);
              stats.cutOffs.push({
                status: status ? Number(status[1]) : undefined,
                afterMs: performance.now() - connectedAt,
              });
            }
            later(RECONNECT_PAUSE_MS, client);
          }
          resolve();
        });
      }),
    );
  }

  // Spread over one byte interval, so the bytes do not all arrive together.
  for (let i = 0; i < options.clients; i++) {
    later(Math.random() * options.byteIntervalMs, client);
  }

  return {
    async stop() {
      running = false;
      for (const timer of timers) clearTimeout(timer);
      const openAtEnd = open;
      for (const socket of sockets) socket.destroy();
      await Promise.all(closed);
      return { clients: options.clients, ...stats, openAtEnd };
    },
  };
}
