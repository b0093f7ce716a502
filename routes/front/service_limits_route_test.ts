// Route tests of the service limits through main.ts's start(), over real
// TCP on loopback with short timeouts: slow clients are cut off at the
// configured timeout, one address cannot take every connection, and the
// settings keep being read all the while.
import assert from "node:assert/strict";
import { join } from "node:path";
import { start } from "../../main.ts";
import { loadConfig } from "../config.ts";
import {
  hashPassword,
  MIN_ITERATIONS,
  parsePasswordHash,
} from "../password_hash.ts";
import { CHAT_SERVER_SETTINGS_PATH } from "../paths.ts";
import type { ServiceLimits } from "./service_limits.ts";
import { rawClient, trickle } from "../../tests/support/raw_tcp_client.ts";

interface Service {
  readonly port: number;
  /** The service limits' log lines. */
  readonly logs: string[];
  /** Everything else written with console.error while the test ran. */
  readonly errors: unknown[][];
}

async function withService(
  limits: Partial<ServiceLimits>,
  test: (service: Service) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "desktop_chat_limits_" });
  const base = loadConfig({ PORT: "0", DESKTOP_CHAT_HOSTNAME: "127.0.0.1" }, [
    "--no-build",
  ]);
  const hash = await hashPassword("limits test", {
    iterations: MIN_ITERATIONS,
  });
  const config = {
    ...base,
    distDir: join(dir, "dist"),
    kvPath: join(dir, "desktop-chat.kv"),
    limits: { ...base.limits, ...limits },
    admin: { ...base.admin, passwordHash: parsePasswordHash(hash) },
  };
  const logs: string[] = [];
  const errors: unknown[][] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  const ac = new AbortController();
  try {
    const server = await start(config, {
      signal: ac.signal,
      onListen: () => {},
      log: (line) => logs.push(line),
    });
    try {
      await test({ port: server.addr.port, logs, errors });
    } finally {
      ac.abort();
      await server.finished;
    }
  } finally {
    console.error = consoleError;
    await Deno.remove(dir, { recursive: true });
  }
}

async function readSettings(port: number): Promise<number> {
  const response = await fetch(
    `http://127.0.0.1:${port}${CHAT_SERVER_SETTINGS_PATH}`,
  );
  await response.body?.cancel();
  return response.status;
}

function assertAround(elapsed: number, timeout: number): void {
  assert.ok(
    elapsed >= timeout - 5,
    `closed after ${elapsed} ms, before ${timeout} ms`,
  );
  assert.ok(
    elapsed < 2 * timeout,
    `closed after ${elapsed} ms, not before ${2 * timeout} ms`,
  );
}

Deno.test("a client sending its head one byte every 100 ms is cut off at the header timeout", async () => {
  await withService({ headerTimeoutMs: 400 }, async ({ port }) => {
    const client = rawClient(port);
    await client.connected;
    const connected = performance.now();
    trickle(
      client,
      `GET ${CHAT_SERVER_SETTINGS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      100,
    );
    assertAround((await client.closed) - connected, 400);
    assert.match(client.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
  });
});

Deno.test("a client sending its body one byte every 100 ms is cut off at the body timeout, in one log line", async () => {
  await withService({ bodyTimeoutMs: 400 }, async ({ port, logs, errors }) => {
    const client = rawClient(port);
    await client.connected;
    client.write(
      "POST /api/admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: application/json\r\nContent-Length: 400\r\n\r\n",
    );
    const headSent = performance.now();
    trickle(
      client,
      `{"username":"admin","password":"${"x".repeat(370)}"}`,
      100,
    );
    assertAround((await client.closed) - headSent, 400);
    assert.match(client.received(), /^HTTP\/1\.1 408 Request Timeout\r\n/);
    // The app saw its body stream fail; give it the moment to answer that.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(logs.length, 1, logs.join("\n"));
    assert.match(
      logs[0],
      /^desktop-chat: 127\.0\.0\.1 sent \d of 400 body bytes in 0\.4 s; connection closed$/,
    );
    assert.deepEqual(errors, [], "nothing else logged, no stack trace");
  });
});

Deno.test("one address over its bound gets 503 while another still reads the settings", async () => {
  await withService({ maxConnectionsPerAddress: 4 }, async ({ port, logs }) => {
    const held = Array.from({ length: 4 }, () => rawClient(port, "127.0.0.2"));
    await Promise.all(held.map((client) => client.connected));
    const refused = rawClient(port, "127.0.0.2");
    refused.write(
      `GET ${CHAT_SERVER_SETTINGS_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    );
    await refused.closed;
    assert.match(
      refused.received(),
      /^HTTP\/1\.1 503 [^]*\r\nRetry-After: \d+\r\n[^]*Connection: close\r\n/,
    );
    assert.equal(await readSettings(port), 200);
    assert.deepEqual(logs, [
      "desktop-chat: refused a connection from 127.0.0.2: 4 connections already open from that address (DESKTOP_CHAT_MAX_CONNECTIONS_PER_ADDRESS)",
    ]);
    for (const client of held) client.destroy();
  });
});

Deno.test("300 half-open connections close at the header timeout while settings reads keep answering", async () => {
  const timeout = 1_500;
  await withService(
    { headerTimeoutMs: timeout, maxConnectionsPerAddress: 1_000 },
    async ({ port }) => {
      const opened = performance.now();
      const clients = Array.from({ length: 300 }, () => rawClient(port));
      await Promise.all(clients.map((client) => client.connected));
      for (const client of clients) {
        client.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      }
      const allConnected = performance.now();
      for (let i = 0; i < 5; i++) assert.equal(await readSettings(port), 200);
      const closed = await Promise.all(clients.map((client) => client.closed));
      assert.ok(
        Math.min(...closed) - opened >= timeout - 5,
        "none closed before the timeout",
      );
      assert.ok(
        Math.max(...closed) - allConnected < 2 * timeout,
        "all closed well before twice the timeout",
      );
    },
  );
});
