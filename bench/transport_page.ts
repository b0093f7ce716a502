// The in-page half of transport_browser_bench.ts: bundled with esbuild and
// loaded into headless Chromium, where it runs the procedure of
// transport_bench.ts (warm-up, latency in blocks alternating BOSH and
// WebSocket, then a back-to-back burst per transport) with both clients on the
// page. It returns raw samples; the Deno side computes the statistics.
import type { Element } from "@xmpp/xml";
import { client, xml, type XmppClient } from "../shared/xmpp/client.ts";

export interface TransportPageConfig {
  boshUrl: string;
  wsUrl: string;
  latencyMessages: number;
  block: number;
  burst: number;
  warmup: number;
}

export interface TransportPageResult {
  /** Round-trip alice→bob per message, milliseconds, in sending order. */
  boshSamples: number[];
  wsSamples: number[];
  /** Milliseconds from the first send of the burst to the last arrival. */
  boshBurstMs: number;
  wsBurstMs: number;
  userAgent: string;
  /** Whether performance.now() has its fine (5 µs) resolution. */
  crossOriginIsolated: boolean;
}

export type RunTransportBench = (
  config: TransportPageConfig,
) => Promise<TransportPageResult>;

async function pair(service: string) {
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

async function latencyBlock(
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

async function burst(
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

const runTransportBench: RunTransportBench = async (config) => {
  const clients: XmppClient[] = [];
  try {
    const bosh = await pair(config.boshUrl);
    clients.push(bosh.a, bosh.b);
    const ws = await pair(config.wsUrl);
    clients.push(ws.a, ws.b);
    // Warm up both paths (JIT, connection pools).
    await latencyBlock(bosh.a, bosh.b, config.warmup, "wb");
    await latencyBlock(ws.a, ws.b, config.warmup, "ww");

    const boshSamples: number[] = [];
    const wsSamples: number[] = [];
    const blocks = config.latencyMessages / config.block;
    for (let block = 0; block < blocks; block++) {
      boshSamples.push(
        ...await latencyBlock(bosh.a, bosh.b, config.block, `lb${block}-`),
      );
      wsSamples.push(
        ...await latencyBlock(ws.a, ws.b, config.block, `lw${block}-`),
      );
    }

    const boshBurstMs = await burst(bosh.a, bosh.b, config.burst, "tb");
    const wsBurstMs = await burst(ws.a, ws.b, config.burst, "tw");
    return {
      boshSamples,
      wsSamples,
      boshBurstMs,
      wsBurstMs,
      userAgent: navigator.userAgent,
      crossOriginIsolated: globalThis.crossOriginIsolated,
    };
  } finally {
    await Promise.allSettled(clients.map((c) => c.stop()));
  }
};

(globalThis as { runTransportBench?: RunTransportBench }).runTransportBench =
  runTransportBench;
