// The measurement procedure shared by the Deno and the in-page (Chromium)
// transport benches: two clients, latency one message at a time, and a
// back-to-back burst. Imports only the headless client, so it bundles for the
// browser.
import type { Element } from "@xmpp/xml";
import { client, xml, type XmppClient } from "../../shared/xmpp/client.ts";

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
