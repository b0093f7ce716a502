// The TCP front against a small echo server on a unix socket: framing
// refusals, keep-alive, who the client is, and the bounds that answer 503.
import assert from "node:assert/strict";
import { join } from "node:path";
import { PEER_HEADER } from "./client_address.ts";
import {
  DEFAULT_SERVICE_LIMITS,
  type ServiceLimits,
} from "./service_limits.ts";
import { startFront } from "./tcp_front.ts";
import { rawClient } from "../../tests/support/raw_tcp_client.ts";

interface Running {
  readonly port: number;
  readonly logs: string[];
}

function echo(request: Request): Response | Promise<Response> {
  const { pathname } = new URL(request.url);
  if (pathname === "/slow") {
    return new Promise((resolve) =>
      setTimeout(() => resolve(new Response("late")), 1_000)
    );
  }
  if (pathname === "/stream") {
    // No Content-Length: Deno.serve sends it chunked (RFC 9112 §7.1).
    const body = ReadableStream.from(["one,", "two"]).pipeThrough(
      new TextEncoderStream(),
    );
    return new Response(body);
  }
  return request.text().then((body) =>
    Response.json({
      peer: request.headers.get(PEER_HEADER),
      body,
      path: pathname,
    })
  );
}

async function withFront(
  limits: Partial<ServiceLimits>,
  test: (running: Running) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "desktop_chat_front_test_" });
  const path = join(dir, "echo.sock");
  const backend = Deno.serve({ path, onListen: () => {} }, echo);
  const logs: string[] = [];
  const front = startFront({
    hostname: "127.0.0.1",
    port: 0,
    limits: { ...DEFAULT_SERVICE_LIMITS, ...limits },
    connectBackend: () => Deno.connect({ transport: "unix", path }),
    log: (line) => logs.push(line),
  });
  try {
    await test({ port: front.addr.port, logs });
  } finally {
    front.stop();
    await front.finished;
    await backend.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
}

const GET = (path: string, extra = "") =>
  `GET ${path} HTTP/1.1\r\nHost: a\r\n${extra}\r\n`;
const RESPONSE_END =
  /\r\n\r\n(?:\{[^]*\}|late|3\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n)$/;

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern, "g"))?.length ?? 0;
}

Deno.test("front: refuses bad framing with a canned answer and closes", async () => {
  await withFront({}, async ({ port }) => {
    const cases: [string, RegExp][] = [
      [
        "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        /^HTTP\/1\.1 411 /,
      ],
      [
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc",
        /^HTTP\/1\.1 400 /,
      ],
      [
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 2x\r\n\r\nab",
        /^HTTP\/1\.1 400 /,
      ],
      [GET("/echo", `X-Big: ${"a".repeat(17_000)}\r\n`), /^HTTP\/1\.1 431 /],
      [
        GET("/echo", "Upgrade: websocket\r\nConnection: Upgrade\r\n"),
        /^HTTP\/1\.1 501 /,
      ],
      [
        "GET /echo HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n folded\r\n\r\n",
        /^HTTP\/1\.1 400 /,
      ],
    ];
    for (const [request, status] of cases) {
      const client = rawClient(port);
      client.write(request);
      await client.closed;
      assert.match(client.received(), status, request.slice(0, 80));
      assert.match(client.received(), /\r\nConnection: close\r\n/);
      assert.doesNotMatch(
        client.received(),
        /"path"/,
        "nothing reached the app",
      );
    }
  });
});

Deno.test("front: keeps a connection alive across requests, pipelined ones and chunked answers", async () => {
  await withFront({}, async ({ port }) => {
    const client = rawClient(port);
    client.write(GET("/echo"));
    await client.waitFor(RESPONSE_END);
    client.write(GET("/stream"));
    await client.waitFor(/two\r\n0\r\n\r\n$/);
    // Two requests in one write, the second with a body: answered in order.
    client.write(
      GET("/echo") +
        "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
    );
    const text = await client.waitFor(/"body":"hello"[^]*\}$/);
    assert.equal(count(text, /HTTP\/1\.1 200 OK/), 4);
    assert.equal(count(text, /"path":"\/echo"/), 3);
    client.destroy();
    await client.closed;
  });
});

Deno.test("front: closes a kept-alive connection after the idle timeout", async () => {
  await withFront({ keepAliveTimeoutMs: 300 }, async ({ port }) => {
    const client = rawClient(port);
    client.write(GET("/echo"));
    await client.waitFor(RESPONSE_END);
    const answered = performance.now();
    const closed = await client.closed;
    assert.ok(closed - answered >= 290, `closed after ${closed - answered} ms`);
    assert.ok(closed - answered < 600, `closed after ${closed - answered} ms`);
  });
});

Deno.test("front: the peer header is the front's own; a client's copy never arrives", async () => {
  await withFront({}, async ({ port }) => {
    const client = rawClient(port);
    client.write(
      GET("/echo", `${PEER_HEADER}: 1 6.6.6.6\r\nX-Forwarded-For: 6.6.6.6\r\n`),
    );
    const text = await client.waitFor(RESPONSE_END);
    assert.match(text, /"peer":"\d+ 127\.0\.0\.1"/);
    client.destroy();
  });
});

Deno.test("front: X-Forwarded-For names the client only behind a trusted proxy", async () => {
  await withFront(
    { trustedProxies: ["127.0.0.1", "10.0.0.9"], maxConnectionsPerAddress: 1 },
    async ({ port }) => {
      const first = rawClient(port);
      // Rightmost entry that is not a trusted proxy; what is left of it is the client's say.
      first.write(
        GET(
          "/echo",
          "X-Forwarded-For: 6.6.6.6, 10.0.0.7\r\nX-Forwarded-For: 10.0.0.9\r\n",
        ),
      );
      assert.match(await first.waitFor(RESPONSE_END), /"peer":"0 10\.0\.0\.7"/);
      // A trusted proxy is exempt from the per-address bound (1 here).
      const second = rawClient(port);
      second.write(GET("/echo", "X-Forwarded-For: ::ffff:10.0.0.8\r\n"));
      assert.match(
        await second.waitFor(RESPONSE_END),
        /"peer":"0 10\.0\.0\.8"/,
      );
      const third = rawClient(port);
      third.write(GET("/echo", "X-Forwarded-For: not-an-address\r\n"));
      await third.closed;
      assert.match(third.received(), /^HTTP\/1\.1 400 /);
      first.destroy();
      second.destroy();
    },
  );
  await withFront({}, async ({ port }) => {
    const client = rawClient(port, "127.0.0.2");
    client.write(GET("/echo", "X-Forwarded-For: 10.0.0.7\r\n"));
    assert.match(
      await client.waitFor(RESPONSE_END),
      /"peer":"\d+ 127\.0\.0\.2"/,
    );
    client.destroy();
  });
});

Deno.test("front: a request with no answer within the request timeout gets 503", async () => {
  await withFront({ requestTimeoutMs: 300 }, async ({ port, logs }) => {
    const client = rawClient(port);
    client.write(GET("/slow"));
    await client.closed;
    assert.match(
      client.received(),
      /^HTTP\/1\.1 503 [^]*\r\nRetry-After: \d+\r\n/,
    );
    assert.deepEqual(logs, [
      "desktop-chat: GET /slow from 127.0.0.1 got no response in 0.3 s; connection closed",
    ]);
  });
});

Deno.test("front: over the total bound a connection gets 503, logged once per window", async () => {
  await withFront({ maxConnections: 2 }, async ({ port, logs }) => {
    const held = [rawClient(port, "127.0.0.3"), rawClient(port, "127.0.0.4")];
    await Promise.all(held.map((client) => client.connected));
    for (const address of ["127.0.0.5", "127.0.0.6"]) {
      const refused = rawClient(port, address);
      refused.write(GET("/echo"));
      await refused.closed;
      assert.match(refused.received(), /^HTTP\/1\.1 503 [^]*Retry-After: /);
    }
    assert.equal(logs.length, 1);
    assert.match(
      logs[0],
      /^desktop-chat: refused a connection from 127\.0\.0\.5: 2 connections already open in total \(DESKTOP_CHAT_MAX_CONNECTIONS\)$/,
    );
    for (const client of held) client.destroy();
  });
});

Deno.test("front: an abandoned body is one log line", async () => {
  await withFront({}, async ({ port, logs }) => {
    const client = rawClient(port, "127.0.0.2");
    client.write(
      "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    client.destroy();
    await client.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(logs, [
      "desktop-chat: 127.0.0.2 sent 3 of 10 body bytes, then closed the connection",
    ]);
  });
});
