// The public listener. Deno.serve (hyper) has no header or body read
// timeouts and no per-address bound, so the service listens here itself:
// each accepted connection takes a slot (per address and in total) or gets
// a canned 503, and then a FrontConnection relays it to the internal
// server under the limits of ServiceLimits.
import {
  AddressSlots,
  RateLimitedLog,
  type SlotRefusal,
} from "./address_slots.ts";
import { cannedResponse } from "./canned_response.ts";
import { normalizeAddress, type PeerAddress } from "./client_address.ts";
import { answerAndClose, isDisconnect } from "./conn_io.ts";
import { FrontConnection } from "./front_connection.ts";
import type { ServiceLimits } from "./service_limits.ts";

export interface FrontOptions {
  readonly hostname: string;
  readonly port: number;
  readonly limits: ServiceLimits;
  /** Opens a new connection to the internal server (one per client connection). */
  connectBackend(): Promise<Deno.Conn>;
  readonly log: (line: string) => void;
}

export interface Front {
  readonly addr: Deno.NetAddr;
  /** Resolves once the listener and every connection are closed. */
  readonly finished: Promise<void>;
  /** Stops accepting; idle connections close now, busy ones after their response. */
  stop(): void;
  ref(): void;
  unref(): void;
}

/** One refusal line per this many ms at most, whatever the flood. */
const REFUSAL_LOG_WINDOW_MS = 10_000;
/** One line per this many ms at most for what any client can cause at will. */
const NOTICE_LOG_WINDOW_MS = 1_000;
/** A refused client gets this long to read its 503 before the close. */
const REFUSAL_LINGER_MS = 500;

const REFUSAL_SETTINGS: Readonly<Record<SlotRefusal, string>> = {
  address: "DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS",
  total: "DESKTOP_CHAT_MAX_CONNECTIONS",
};

/** Listens on hostname:port; throws what Deno.listen throws (such as AddrInUse). */
export function startFront(options: FrontOptions): Front {
  const { limits, log } = options;
  const listener = Deno.listen({
    hostname: options.hostname,
    port: options.port,
    transport: "tcp",
  });
  const slots = new AddressSlots(limits);
  const refusals = new RateLimitedLog(log, REFUSAL_LOG_WINDOW_MS);
  const notices = new RateLimitedLog(log, NOTICE_LOG_WINDOW_MS);
  const trusted = new Set(limits.trustedProxies);
  const connections = new Set<FrontConnection>();
  const running = new Set<Promise<void>>();
  let stopped = false;

  function track(work: Promise<void>): void {
    running.add(work);
    work.finally(() => running.delete(work));
  }

  function accept(conn: Deno.TcpConn): void {
    const peer: PeerAddress = {
      hostname: normalizeAddress(conn.remoteAddr.hostname),
      port: conn.remoteAddr.port,
    };
    const refused = slots.acquire(peer.hostname, trusted.has(peer.hostname));
    if (refused) {
      const limit = refused === "address"
        ? `${limits.maxConnectionsPerAddress} connections already open from that address`
        : `${limits.maxConnections} connections already open in total`;
      refusals.write(
        `desktop-chat: refused a connection from ${peer.hostname}: ${limit} (${
          REFUSAL_SETTINGS[refused]
        })`,
      );
      const answer = cannedResponse(
        503,
        "Too many connections; try again shortly.",
      );
      track(answerAndClose(conn, answer, REFUSAL_LINGER_MS));
      return;
    }
    const connection = new FrontConnection(conn, peer, {
      limits,
      trusted,
      connectBackend: options.connectBackend,
      log,
      notice: (line) => notices.write(line),
    });
    connections.add(connection);
    track(
      connection.run().finally(() => {
        connections.delete(connection);
        slots.release(peer.hostname);
      }),
    );
  }

  async function acceptLoop(): Promise<void> {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopped && isDisconnect(error)) return;
        // Out of file descriptors and the like: say so, breathe, go on.
        log(
          `desktop-chat: accepting a connection failed: ${
            (error as Error).message
          }`,
        );
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (stopped) conn.close();
      else accept(conn);
    }
  }

  const accepting = acceptLoop();
  const finished = (async () => {
    await accepting;
    while (running.size > 0) await Promise.all(running);
  })();

  return {
    addr: listener.addr,
    finished,
    stop() {
      if (stopped) return;
      stopped = true;
      listener.close();
      for (const connection of connections) connection.stop();
    },
    ref: () => listener.ref(),
    unref: () => listener.unref(),
  };
}
