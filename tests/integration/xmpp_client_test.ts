// The headless client against real Prosody and ejabberd, over BOSH and over
// WebSocket: the same API above either transport on either server (issue 2
// and issue 12 acceptance), each cell of the matrix a named step.
import assert from "node:assert/strict";
import type { Element } from "@xmpp/xml";
import {
  client,
  toXmppError,
  xml,
  type XmppClient,
} from "../../shared/xmpp/session/client.ts";
import {
  AuthError,
  TransportError,
  type XmppError,
} from "../../shared/xmpp/core/errors.ts";
import type { BoshSocket } from "../../shared/xmpp/transport/bosh_socket.ts";
import {
  type Cell,
  cellClient,
  matrixTest,
  SERVER_KINDS,
  type ServerKind,
  startServer,
  testUsers,
  TRANSPORTS,
  withDeadline,
} from "../support/xmpp_servers.ts";

/**
 * The SCRAM a sign-in must settle on. Prosody offers the one SCRAM of its
 * stored hash; ejabberd (plain storage) offers SCRAM-SHA-512, -256 and -1,
 * and the client takes the strongest it implements (RFC 7677 §4 asks for
 * SHA-256 where both sides can; SHA-512 is issue 12, Build item 5).
 */
function expectedScram(kind: ServerKind, prosodyHash: "SHA-1" | "SHA-256") {
  return kind === "prosody"
    ? new RegExp(`^SCRAM-${prosodyHash}$`)
    : /^SCRAM-SHA-(256|512)$/;
}

function waitFor<T>(
  xmpp: XmppClient,
  event: string,
  match: (value: T) => boolean,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      xmpp.removeListener(event, on);
      reject(new Error(`no matching ${event} within ${ms} ms`));
    }, ms);
    function on(value: T) {
      if (!match(value)) return;
      clearTimeout(timer);
      xmpp.removeListener(event, on);
      resolve(value);
    }
    xmpp.on(event, on);
  });
}

async function signIn(cell: Cell, base: string, password?: string) {
  const xmpp = cellClient(cell, base, { password });
  const errors: XmppError[] = [];
  xmpp.on("error", (err: unknown) => errors.push(toXmppError(err)));
  await xmpp.start();
  // RFC 6121 §4.2: initial presence makes the resource available, so
  // presence and subscription requests are routed to it.
  await xmpp.send(xml("presence"));
  return { xmpp, errors };
}

async function stop(xmpp: XmppClient) {
  if (xmpp.status !== "offline" && xmpp.status !== "disconnect") {
    await xmpp.stop();
  }
}

/** Mutual presence subscription, RFC 6121 §3. */
async function subscribe(a: XmppClient, b: XmppClient) {
  const bJid = b.jid!.bare().toString();
  const aJid = a.jid!.bare().toString();
  const gotRequest = waitFor<Element>(
    b,
    "stanza",
    (s) => s.is("presence") && s.attrs.type === "subscribe",
  );
  await a.send(xml("presence", { to: bJid, type: "subscribe" }));
  await gotRequest;
  await b.send(xml("presence", { to: aJid, type: "subscribed" }));
  const back = waitFor<Element>(
    a,
    "stanza",
    (s) => s.is("presence") && s.attrs.type === "subscribe",
  );
  await b.send(xml("presence", { to: aJid, type: "subscribe" }));
  await back;
  await a.send(xml("presence", { to: bJid, type: "subscribed" }));
}

matrixTest(
  "headless client",
  {
    seed: (user) => ({ users: testUsers(["alice", "bob"].map(user)) }),
    // 500 messages over BOSH take a few seconds; a frozen session fails here.
    cellTimeoutMs: 90_000,
  },
  async (cell, t) => {
    await t.step("sign in with SCRAM, never PLAIN", async () => {
      const { xmpp, errors } = await signIn(cell, "alice");
      try {
        assert.equal(xmpp.status, "online");
        assert.match(
          xmpp.mechanism ?? "",
          expectedScram(cell.server.kind, "SHA-1"),
        );
        assert.equal(xmpp.jid?.bare().toString(), cell.jid("alice"));
        assert.deepEqual(errors, []);
      } finally {
        await stop(xmpp);
      }
    });

    await t.step("wrong password names the cause", async () => {
      const xmpp = client({
        service: cell.service,
        domain: cell.server.domain,
        username: cell.user("alice"),
        password: "wrong",
      });
      xmpp.on("error", () => {});
      const err = await xmpp.start().then(
        () => assert.fail("signed in with a wrong password"),
        (e: unknown) => toXmppError(e),
      );
      assert.ok(err instanceof AuthError, `got ${err.name}: ${err.message}`);
      // RFC 6120 §6.5.10; the server's own text differs (Prosody and
      // ejabberd word it differently), our message names the password.
      assert.equal(err.condition, "not-authorized");
      assert.match(err.message, /password/i);
      await stop(xmpp);
    });

    await t.step("roster, presence and messages both ways", async () => {
      const a = await signIn(cell, "alice");
      const b = await signIn(cell, "bob");
      const first = cell.jid("alice");
      const second = cell.jid("bob");
      try {
        await subscribe(a.xmpp, b.xmpp);
        const roster = await a.xmpp.iqCaller.get(
          xml("query", { xmlns: "jabber:iq:roster" }),
        );
        const items = roster.getChildren("item").map((i: Element) =>
          i.attrs.jid
        );
        assert.ok(items.includes(second), `roster: ${items}`);

        const seen = waitFor<Element>(
          b.xmpp,
          "stanza",
          (s) =>
            s.is("presence") &&
            s.attrs.from?.startsWith(`${first}/`) &&
            s.getChildText("show") === "away",
        );
        await a.xmpp.send(xml("presence", {}, xml("show", {}, "away")));
        await seen;

        const toBob = waitFor<Element>(
          b.xmpp,
          "stanza",
          (s) => s.is("message") && s.getChildText("body") === "hello bob",
        );
        await a.xmpp.send(
          xml(
            "message",
            { to: second, type: "chat", id: "m1" },
            xml("body", {}, "hello bob"),
          ),
        );
        assert.equal((await toBob).attrs.from?.split("/")[0], first);

        const toAlice = waitFor<Element>(
          a.xmpp,
          "stanza",
          (s) => s.is("message") && s.getChildText("body") === "hi alice",
        );
        await b.xmpp.send(
          xml(
            "message",
            { to: first, type: "chat", id: "m2" },
            xml("body", {}, "hi alice"),
          ),
        );
        await toAlice;
      } finally {
        await stop(a.xmpp);
        await stop(b.xmpp);
      }
    });

    await t.step(
      "500 messages back-to-back arrive complete and in order",
      async () => {
        const a = await signIn(cell, "alice");
        const b = await signIn(cell, "bob");
        try {
          const got: string[] = [];
          const done = new Promise<void>((resolve) => {
            b.xmpp.on("stanza", (s: Element) => {
              if (!s.is("message") || !s.attrs.id?.startsWith("burst-")) {
                return;
              }
              got.push(s.getChildText("body") ?? "");
              if (got.length === 500) resolve();
            });
          });
          const sends = [];
          for (let i = 0; i < 500; i++) {
            sends.push(a.xmpp.send(
              xml("message", {
                to: b.xmpp.jid!.toString(),
                type: "chat",
                id: `burst-${i}`,
              }, xml("body", {}, String(i))),
            ));
          }
          await Promise.all(sends);
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            done,
            new Promise((_, reject) => {
              timer = setTimeout(
                () => reject(new Error(`only ${got.length}/500 arrived`)),
                30_000,
              );
            }),
          ]).finally(() => clearTimeout(timer));
          assert.deepEqual(
            got,
            Array.from({ length: 500 }, (_, i) => String(i)),
          );
        } finally {
          await stop(a.xmpp);
          await stop(b.xmpp);
        }
      },
    );

    if (cell.transport !== "bosh") return;
    await t.step(
      "a stanza queued while a request is in flight is delivered",
      async () => {
        const a = await signIn(cell, "alice");
        const b = await signIn(cell, "bob");
        try {
          const session = (a.xmpp.socket as BoshSocket).session!;
          const pong = a.xmpp.iqCaller.get(
            xml("ping", { xmlns: "urn:xmpp:ping" }),
            cell.server.domain,
          );
          // Give the ping its own request, then queue behind it.
          await new Promise((r) => queueMicrotask(() => r(undefined)));
          assert.ok(session.inflight.size >= 1, "a request is in flight");
          const arrived = waitFor<Element>(
            b.xmpp,
            "stanza",
            (s) => s.is("message") && s.getChildText("body") === "queued",
          );
          await a.xmpp.send(
            xml("message", {
              to: b.xmpp.jid!.toString(),
              type: "chat",
              id: "q1",
            }, xml("body", {}, "queued")),
          );
          await Promise.all([pong, arrived]);
        } finally {
          await stop(a.xmpp);
          await stop(b.xmpp);
        }
      },
    );
  },
);

// A server of its own per cell, since each is killed.
for (const kind of SERVER_KINDS) {
  Deno.test(`a killed server gives a typed disconnect error, not a hang [${kind}]`, async (t) => {
    for (const transport of TRANSPORTS) {
      await t.step(`${kind}/${transport}`, async () => {
        const server = await startServer(kind, {
          users: testUsers(["alice"]),
          passwordHash: "SHA-256",
        });
        try {
          const cell: Cell = {
            name: `${kind}/${transport}`,
            server,
            transport,
            service: server.service(transport),
            user: (base) => base,
            jid: (base) => `${base}@${server.domain}`,
          };
          await withDeadline(cell.name, killUnder(cell), 90_000);
        } finally {
          await server.stop();
        }
      });
    }
  });
}

async function killUnder(cell: Cell): Promise<void> {
  const { xmpp } = await signIn(cell, "alice");
  assert.match(
    xmpp.mechanism ?? "",
    expectedScram(cell.server.kind, "SHA-256"),
  );
  const failed = new Promise<XmppError>((resolve) =>
    xmpp.on("error", (e: unknown) => resolve(toXmppError(e)))
  );
  const disconnected = new Promise((resolve) => xmpp.on("disconnect", resolve));
  const killedAt = Date.now();
  await cell.server.kill();
  const err = await failed;
  await disconnected;
  const elapsed = Date.now() - killedAt;
  assert.ok(err instanceof TransportError, `${err.name}: ${err.message}`);
  assert.match(err.message, /chat server/);
  const wait = cell.transport === "bosh"
    ? (xmpp.socket as BoshSocket | null)?.session?.wait ?? 60
    : 0;
  assert.ok(elapsed < (wait + 10) * 1000, `took ${elapsed} ms`);
  await stop(xmpp);
}
