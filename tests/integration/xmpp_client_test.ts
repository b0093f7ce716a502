// The headless client against a real Prosody, over BOSH and over WebSocket:
// the same API above either transport (issue 2 acceptance).
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
import { startProsody } from "../../scripts/servers/prosody.ts";

const USERS = [
  { username: "alice", password: "alice-pw" },
  { username: "bob", password: "bob-pw" },
  { username: "carol", password: "carol-pw" },
  { username: "dave", password: "dave-pw" },
];

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

async function signIn(service: string, username: string, password: string) {
  const xmpp = client({ service, domain: "localhost", username, password });
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

Deno.test("headless client against real Prosody", async (t) => {
  const prosody = await startProsody({ users: USERS });
  try {
    // Each transport gets its own pair, so subscriptions start from none.
    for (
      const [name, service, first, second] of [
        ["BOSH", prosody.boshUrl, "alice", "bob"],
        ["WebSocket", prosody.wsUrl, "carol", "dave"],
      ] as const
    ) {
      await t.step(`${name}: sign in with SCRAM, never PLAIN`, async () => {
        const { xmpp, errors } = await signIn(service, "alice", "alice-pw");
        try {
          assert.equal(xmpp.status, "online");
          assert.equal(xmpp.mechanism, "SCRAM-SHA-1");
          assert.equal(xmpp.jid?.bare().toString(), "alice@localhost");
          assert.deepEqual(errors, []);
        } finally {
          await stop(xmpp);
        }
      });

      await t.step(`${name}: wrong password names the cause`, async () => {
        const xmpp = client({
          service,
          domain: "localhost",
          username: "alice",
          password: "wrong",
        });
        xmpp.on("error", () => {});
        const err = await xmpp.start().then(
          () => assert.fail("signed in with a wrong password"),
          (e: unknown) => toXmppError(e),
        );
        assert.ok(err instanceof AuthError, `got ${err.name}: ${err.message}`);
        assert.equal(err.condition, "not-authorized");
        assert.match(err.message, /password/i);
        await stop(xmpp);
      });

      await t.step(
        `${name}: roster, presence and messages both ways`,
        async () => {
          const a = await signIn(service, first, `${first}-pw`);
          const b = await signIn(service, second, `${second}-pw`);
          try {
            await subscribe(a.xmpp, b.xmpp);
            const roster = await a.xmpp.iqCaller.get(
              xml("query", { xmlns: "jabber:iq:roster" }),
            );
            const items = roster.getChildren("item").map((i: Element) =>
              i.attrs.jid
            );
            assert.ok(
              items.includes(`${second}@localhost`),
              `roster: ${items}`,
            );

            const seen = waitFor<Element>(
              b.xmpp,
              "stanza",
              (s) =>
                s.is("presence") &&
                s.attrs.from?.startsWith(`${first}@localhost/`) &&
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
                { to: `${second}@localhost`, type: "chat", id: "m1" },
                xml("body", {}, "hello bob"),
              ),
            );
            assert.equal(
              (await toBob).attrs.from?.split("/")[0],
              `${first}@localhost`,
            );

            const toAlice = waitFor<Element>(
              a.xmpp,
              "stanza",
              (s) => s.is("message") && s.getChildText("body") === "hi alice",
            );
            await b.xmpp.send(
              xml(
                "message",
                { to: `${first}@localhost`, type: "chat", id: "m2" },
                xml("body", {}, "hi alice"),
              ),
            );
            await toAlice;
          } finally {
            await stop(a.xmpp);
            await stop(b.xmpp);
          }
        },
      );

      await t.step(
        `${name}: 500 messages back-to-back arrive complete and in order`,
        async () => {
          const a = await signIn(service, "alice", "alice-pw");
          const b = await signIn(service, "bob", "bob-pw");
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
            await Promise.race([
              done,
              new Promise((_, reject) =>
                setTimeout(
                  () => reject(new Error(`only ${got.length}/500 arrived`)),
                  30_000,
                )
              ),
            ]);
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
    }

    await t.step(
      "BOSH: a stanza queued while a request is in flight is delivered",
      async () => {
        const a = await signIn(prosody.boshUrl, "alice", "alice-pw");
        const b = await signIn(prosody.boshUrl, "bob", "bob-pw");
        try {
          const session = (a.xmpp.socket as BoshSocket).session!;
          const pong = a.xmpp.iqCaller.get(
            xml("ping", { xmlns: "urn:xmpp:ping" }),
            "localhost",
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
  } finally {
    await prosody.stop();
  }
});

Deno.test("a killed server gives a typed disconnect error, not a hang", async (t) => {
  for (const transport of ["BOSH", "WebSocket"] as const) {
    await t.step(transport, async () => {
      const prosody = await startProsody({
        users: USERS,
        passwordHash: "SHA-256",
      });
      try {
        const service = transport === "BOSH" ? prosody.boshUrl : prosody.wsUrl;
        const { xmpp } = await signIn(service, "alice", "alice-pw");
        assert.equal(xmpp.mechanism, "SCRAM-SHA-256");
        const failed = new Promise<XmppError>((resolve) =>
          xmpp.on("error", (e: unknown) => resolve(toXmppError(e)))
        );
        const disconnected = new Promise((resolve) =>
          xmpp.on("disconnect", resolve)
        );
        const killedAt = Date.now();
        await prosody.kill();
        const err = await failed;
        await disconnected;
        const elapsed = Date.now() - killedAt;
        assert.ok(err instanceof TransportError, `${err.name}: ${err.message}`);
        assert.match(err.message, /chat server/);
        const wait = transport === "BOSH"
          ? (xmpp.socket as BoshSocket | null)?.session?.wait ?? 60
          : 0;
        assert.ok(elapsed < (wait + 10) * 1000, `took ${elapsed} ms`);
        await stop(xmpp);
      } finally {
        await prosody.stop();
      }
    });
  }
});
