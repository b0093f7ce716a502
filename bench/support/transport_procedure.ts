// The measurement procedure shared by the Deno and the in-page (Chromium)
// transport benches: two clients, latency one message at a time, and a
// back-to-back burst. Imports only the headless client, so it bundles for the
// browser.
import type { Element } from "@xmpp/xml";
import {
  client,
  xml,
  type XmppClient,
} from "../../shared/xmpp/session/client.ts";
import { readBoshBody } from "../../shared/xmpp/transport/bosh_http.ts";
import {
  parseBody,
  requestBody,
  sessionCreationBody,
} from "../../shared/xmpp/transport/bosh_body.ts";
import { randomRid } from "../../shared/xmpp/transport/bosh_session.ts";

export async function pair(service: string) {
  const a = client({
    service,
    domain: "localhost",
    username: "alice",
    password: "alice-pw",
  });
  const b = client({
    service,
    domain: "localhost",
    username: "bob",
    password: "bob-pw",
  });
  await Promise.all([a.start(), b.start()]);
  return { a, b };
}

function onMessage(b: XmppClient, handler: (id: string) => void) {
  b.on("stanza", (s: Element) => {
    if (s.is("message") && s.attrs.id) handler(s.attrs.id);
  });
}

export async function latencyBlock(
  a: XmppClient,
  b: XmppClient,
  count: number,
  tag: string,
) {
  const samples: number[] = [];
  let resolveOne: (() => void) | undefined;
  onMessage(b, (id) => {
    if (id.startsWith(tag)) resolveOne?.();
  });
  const to = b.jid!.toString();
  for (let i = 0; i < count; i++) {
    const arrived = new Promise<void>((r) => (resolveOne = r));
    const t0 = performance.now();
    await a.send(
      xml(
        "message",
        { to, type: "chat", id: `${tag}${i}` },
        xml("body", {}, `m${i}`),
      ),
    );
    await arrived;
    samples.push(performance.now() - t0);
  }
  b.removeAllListeners("stanza");
  return samples;
}

export async function burst(
  a: XmppClient,
  b: XmppClient,
  count: number,
  tag: string,
) {
  let got = 0;
  const done = new Promise<void>((resolve) =>
    onMessage(b, (id) => {
      if (id.startsWith(tag) && ++got === count) resolve();
    })
  );
  const to = b.jid!.toString();
  const t0 = performance.now();
  const sends = [];
  for (let i = 0; i < count; i++) {
    sends.push(
      a.send(
        xml(
          "message",
          { to, type: "chat", id: `${tag}${i}` },
          xml("body", {}, `burst ${i}`),
        ),
      ),
    );
  }
  await Promise.all(sends);
  await done;
  const ms = performance.now() - t0;
  b.removeAllListeners("stanza");
  return ms;
}

/**
 * The floor under any fetch-based BOSH client's latency: one HTTP exchange
 * with the same connection manager, answered at once (Prosody answers a
 * `<body/>` outside any session with a `bad-request` terminate, a body of the
 * size of a small message). A message over BOSH costs the request half of the
 * sender's exchange plus the response half of the receiver's held one: at
 * least one such round trip, whatever the client does.
 */
export async function boshRoundTrips(url: string, count: number) {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await post(url, "<body/>");
    samples.push(performance.now() - t0);
  }
  return samples;
}

/**
 * A tighter floor: the mechanics of a BOSH delivery with no XMPP library on
 * either side. One session (XEP-0124 §7) holds a request; each sample sends a
 * new empty request, which makes the server answer the held one (with
 * hold=1, §10), and times until that answer is read. That is the request half
 * of one exchange plus the response half of another, as when a message
 * reaches a receiver's held request.
 */
export async function rawBoshExchanges(
  url: string,
  domain: string,
  count: number,
) {
  let rid = randomRid();
  const created = parseBody(
    await post(
      url,
      sessionCreationBody({ rid: rid++, to: domain, wait: 60, hold: 1 }),
    ),
  );
  const sid = "attrs" in created ? created.attrs.sid : undefined;
  if (!sid) throw new Error(`${url} did not create a BOSH session`);
  let held = post(url, requestBody({ rid: rid++, sid }));
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const next = post(url, requestBody({ rid: rid++, sid }));
    await held;
    samples.push(performance.now() - t0);
    held = next;
  }
  await post(url, requestBody({ rid: rid++, sid, terminate: true }));
  await held;
  return samples;
}

async function post(url: string, body: string): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "text/xml; charset=utf-8" },
    body,
  });
  return await readBoshBody(res);
}
