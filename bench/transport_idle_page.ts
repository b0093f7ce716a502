// The in-page half of transport_idle_bench.ts: one agent per browser context,
// as in a contact center, messaging at the pace agents live in. The Deno side
// drives the pages; every time is taken here as performance.timeOrigin +
// performance.now(), which Chromium derives in every renderer from the one
// system-wide monotonic clock, so a send in one context and the arrival in
// another can be compared (checkClock verifies it against the bench server).
import type { Element } from "@xmpp/xml";
import { client, xml, type XmppClient } from "../shared/xmpp/session/client.ts";
import { readBoshBody } from "../shared/xmpp/transport/bosh_http.ts";
import { requestBody } from "../shared/xmpp/transport/bosh_body.ts";

export interface IdleAgentConfig {
  service: string;
  domain: string;
  username: string;
  password: string;
}

export interface RawRequest {
  url: string;
  sid: string;
  rid: number;
}

export interface IdlePageApi {
  /**
   * NTP's estimate of the server's clock minus this page's, from the fastest
   * of `samples` exchanges, with that exchange's round trip (the estimate is
   * good to half of it).
   */
  checkClock(samples: number): Promise<{ offset: number; rtt: number }>;
  signIn(config: IdleAgentConfig): Promise<string>;
  /** Sends one chat message; returns the server-clock time of the send. */
  send(to: string, id: string): Promise<number>;
  /** The server-clock time message `id` arrived, once it has. */
  arrival(id: string, timeoutMs: number): Promise<number>;
  /** Posts an empty request of a raw BOSH session; answers when it is read. */
  rawHold(request: RawRequest): Promise<void>;
  /** The server-clock time the last rawHold's answer was read. */
  rawAnswered(timeoutMs: number): Promise<number>;
  /** Posts an empty request that releases the other page's held one. */
  rawPoke(request: RawRequest): number;
  stop(): Promise<void>;
}

let agent: XmppClient | undefined;
const arrivals = new Map<string, number>();
let rawRead: Promise<number> | undefined;
/** A poke that failed; reported by the next rawAnswered. */
let rawFailure: unknown;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function post(url: string, body: string): Promise<string> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8" },
    body,
  }).then(readBoshBody);
}

function until<T>(read: () => T | undefined, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      const value = read();
      if (value !== undefined) return resolve(value);
      if (performance.now() - started > ms) {
        return reject(new Error(`nothing within ${ms} ms`));
      }
      setTimeout(check, 1);
    };
    check();
  });
}

const api: IdlePageApi = {
  async checkClock(samples) {
    // NTP's estimate from the fastest exchange: the server read its clock
    // halfway through the round trip, give or take half of it.
    let best = { rtt: Infinity, offset: 0 };
    for (let i = 0; i < samples; i++) {
      const t0 = now();
      const server = Number(await (await fetch("/clock")).text());
      const t1 = now();
      if (t1 - t0 < best.rtt) {
        best = { rtt: t1 - t0, offset: server - (t0 + t1) / 2 };
      }
    }
    return best;
  },
  async signIn(config) {
    agent = client(config);
    agent.on("stanza", (s: Element) => {
      if (s.is("message") && s.attrs.id) arrivals.set(s.attrs.id, now());
    });
    await agent.start();
    return String(agent.jid);
  },
  async send(to, id) {
    const sent = now();
    await agent!.send(
      xml("message", { to, type: "chat", id }, xml("body", {}, id)),
    );
    return sent;
  },
  arrival(id, timeoutMs) {
    return until(() => arrivals.get(id), timeoutMs);
  },
  rawHold({ url, sid, rid }) {
    rawRead = post(url, requestBody({ rid, sid })).then(now);
    return Promise.resolve();
  },
  rawAnswered(timeoutMs) {
    if (rawFailure !== undefined) return Promise.reject(rawFailure);
    let read: number | undefined;
    rawRead!.then((t) => (read = t));
    return until(() => read, timeoutMs);
  },
  rawPoke({ url, sid, rid }) {
    const sent = now();
    // Its answer comes when the other page posts its next hold.
    post(url, requestBody({ rid, sid })).catch((err) => (rawFailure = err));
    return sent;
  },
  async stop() {
    await agent?.stop();
  },
};

(globalThis as { idleBench?: IdlePageApi }).idleBench = api;
