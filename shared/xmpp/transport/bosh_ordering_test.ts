// The scheduler against a scripted connection manager that, like ejabberd
// 23.01's mod_bosh (ejabberd_bosh.erl, `active1`), cannot cope with a
// request that arrives before an earlier rid: the later one is deferred, and
// when the earlier one then has nothing to answer at once it is held, so
// both hang until `wait`. The network in front of it is scripted too: a
// request that finds no idle pooled connection pays a handshake, so a later
// request on a pooled connection overtakes an earlier one on a fresh one,
// and a connection goes back to the pool a moment after its answer, as in
// Deno and Chromium. The test fails on a scheduler that sends its long poll
// and the client's next payload a moment apart.
import assert from "node:assert/strict";
import { NS_HTTPBIND } from "./bosh_body.ts";
import type { BoshResponse } from "./bosh_body.ts";
import { BoshSession, type RequestKind } from "./bosh_session.ts";

const HANDSHAKE_MS = 30;
const RETURN_MS = 5;
/** Web Crypto or an async handler: the client's answer comes a task later. */
const THINK_MS = 8;
/** The server's `wait`, scaled down: a hang shows as no progress by then. */
const WAIT_MS = 1500;

interface Held {
  rid: number;
  reply(els: string[], attrs?: string): void;
}

/** The connection manager and the network in front of it. */
function scriptedServer() {
  let prevRid = 0;
  let ended = false;
  const receivers = new Map<number, Held>();
  const deferred = new Map<number, { rid: number; body: string; held: Held }>();
  let obuf: string[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const arrivals: number[] = [];
  let overtaken = 0;
  const pool: number[] = []; // times at which idle connections became free

  function later(ms: number, fn: () => void) {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  /** What the XMPP session behind the manager answers, a moment later. */
  function route(els: string) {
    const answers: string[] = [];
    if (els.includes("<auth")) answers.push("<challenge/>");
    if (els.includes("<response")) answers.push("<success/>");
    for (const m of els.matchAll(/<iq id='([^']+)'/g)) {
      answers.push(`<iq type='result' id='${m[1]}'/>`);
    }
    if (answers.length > 0) later(1, () => push(answers));
  }

  function push(els: string[]) {
    if (ended) return;
    obuf.push(...els);
    const held = receivers.get(prevRid);
    if (held) reply(held, take());
  }

  function take(): string[] {
    const out = obuf;
    obuf = [];
    return out;
  }

  function reply(held: Held, els: string[], attrs = "") {
    receivers.delete(held.rid);
    held.reply(els, attrs);
    // `reply` looks at the next rid only when it answers with content.
    const next = deferred.get(held.rid + 1);
    if (next && els.length > 0) {
      deferred.delete(next.rid);
      process(next.rid, next.body, next.held);
    }
  }

  function dropHolding() {
    const held = receivers.get(prevRid);
    if (held) {
      receivers.delete(prevRid);
      held.reply([]);
    }
  }

  function process(rid: number, body: string, held: Held) {
    const inner = /^<body[^>]*?(?:\/>|>([\s\S]*)<\/body>)$/.exec(body)?.[1] ??
      "";
    if (body.includes("type='terminate'")) {
      ended = true;
      held.reply([], " type='terminate'");
      for (const other of receivers.values()) {
        other.reply([], " type='terminate' condition='other-request'");
      }
      receivers.clear();
      return;
    }
    route(inner);
    const restart = body.includes("xmpp:restart='true'");
    const els = restart ? ["<stream:features/>"] : take();
    dropHolding();
    prevRid = rid;
    if (els.length === 0) {
      receivers.set(rid, held);
      later(WAIT_MS, () => {
        if (receivers.get(rid) === held) {
          receivers.delete(rid);
          held.reply([]);
        }
      });
      return;
    }
    reply(held, els);
  }

  function arrive(rid: number, body: string, held: Held) {
    arrivals.push(rid);
    if (ended) {
      held.reply([], " type='terminate' condition='item-not-found'");
      return;
    }
    if (body.includes(" to=") && !body.includes("sid=")) {
      prevRid = rid;
      held.reply(
        ["<stream:features><mechanisms/></stream:features>"],
        " sid='S' wait='60' requests='2' hold='1'",
      );
      return;
    }
    if (rid > prevRid + 1) {
      overtaken++;
      deferred.set(rid, { rid, body, held });
      return;
    }
    process(rid, body, held);
  }

  const fetch =
    ((_url: string, init: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const body = String(init.body);
        const rid = Number(/rid='(\d+)'/.exec(body)?.[1]);
        const now = performance.now();
        const idle = pool.findIndex((freeAt) => freeAt <= now);
        const delay = idle >= 0 ? 0 : HANDSHAKE_MS;
        if (idle >= 0) pool.splice(idle, 1);
        let done = false;
        const held: Held = {
          rid,
          reply(els, attrs = "") {
            if (done) return;
            done = true;
            pool.push(performance.now() + RETURN_MS);
            resolve(
              new Response(
                `<body xmlns='${NS_HTTPBIND}' xmlns:stream='http://etherx.jabber.org/streams'${attrs}>${
                  els.join("")
                }</body>`,
              ),
            );
          },
        };
        init.signal?.addEventListener("abort", () => {
          done = true;
          reject(new DOMException("aborted", "AbortError"));
        });
        later(delay, () => {
          if (!done) arrive(rid, body, held);
        });
      })) as typeof globalThis.fetch;

  return {
    fetch,
    arrivals,
    get overtaken() {
      return overtaken;
    },
    /** A message for the client, pushed on whatever request is held. */
    push,
    close() {
      ended = true;
      for (const t of timers) clearTimeout(t);
    },
  };
}

/** A client reacting to answers as xmpp.js does during a sign-in. */
function signIn(server: ReturnType<typeof scriptedServer>) {
  const seen: string[] = [];
  let online!: () => void;
  const isOnline = new Promise<void>((r) => (online = r));
  const think = (fn: () => void) => setTimeout(fn, THINK_MS);
  const session: BoshSession = new BoshSession(
    {
      url: "http://cm.test/http-bind",
      to: "example.com",
      rid: 100,
      fetch: server.fetch,
      retryDelay: () => 1,
    },
    {
      onResponse(_kind: RequestKind, res: BoshResponse) {
        for (const el of res.children) {
          seen.push(String(el.attrs.id ?? el.name));
          if (el.name === "stream:features" && el.getChild("mechanisms")) {
            think(() => session.send("<auth/>"));
          } else if (el.name === "challenge") {
            think(() => session.send("<response/>"));
          } else if (el.name === "success") {
            queueMicrotask(() => session.restart("example.com"));
          } else if (el.name === "stream:features") {
            queueMicrotask(() => session.send("<iq id='bind'/>"));
          } else if (el.attrs.id === "bind") {
            queueMicrotask(() => session.send("<iq id='roster'/>"));
          } else if (el.attrs.id === "roster") {
            online();
          } else if (el.name === "message") {
            // An async handler answers a task later, on a fresh poll.
            think(() => session.send(`<iq id='reply-${el.attrs.id}'/>`));
          }
        }
      },
      onEnd() {},
    },
  );
  session.start();
  return { session, seen, isOnline };
}

async function within<T>(ms: number, what: Promise<T>, label: string) {
  let timer!: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: hung`)), ms);
  });
  try {
    return await Promise.race([what, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("BOSH requests reach a server that cannot reorder in rid order", async (t) => {
  await t.step("sign-in: SASL, restart, bind, roster", async () => {
    const server = scriptedServer();
    const client = signIn(server);
    try {
      await within(WAIT_MS / 2, client.isOnline, "sign-in");
      assert.equal(server.overtaken, 0, `arrivals ${server.arrivals}`);
    } finally {
      client.session.abort();
      server.close();
    }
  });

  await t.step(
    "a reply to a pushed message does not overtake the new poll",
    async () => {
      const server = scriptedServer();
      const client = signIn(server);
      try {
        await within(WAIT_MS / 2, client.isOnline, "sign-in");
        for (let i = 0; i < 5; i++) {
          const answered = new Promise<void>((resolve) => {
            const check = setInterval(() => {
              if (client.seen.includes(`reply-m${i}`)) {
                clearInterval(check);
                resolve();
              }
            }, 1);
          });
          server.push([`<message id='m${i}'/>`]);
          await within(WAIT_MS / 2, answered, `reply ${i}`);
        }
        assert.equal(server.overtaken, 0, `arrivals ${server.arrivals}`);
      } finally {
        client.session.abort();
        server.close();
      }
    },
  );

  await t.step(
    "sign-out: the terminate does not overtake the poll",
    async () => {
      const server = scriptedServer();
      const client = signIn(server);
      const ended = new Promise<void>((resolve) => {
        const check = setInterval(() => {
          if (client.session.state === "ended") {
            clearInterval(check);
            resolve();
          }
        }, 1);
      });
      try {
        await within(WAIT_MS / 2, client.isOnline, "sign-in");
        // Sign out right after the poll went: the poll is young.
        await new Promise((r) => setTimeout(r, 1));
        client.session.send("<presence type='unavailable'/>");
        client.session.terminate();
        await within(WAIT_MS / 2, ended, "sign-out");
        assert.equal(server.overtaken, 0, `arrivals ${server.arrivals}`);
      } finally {
        client.session.abort();
        server.close();
      }
    },
  );
});
