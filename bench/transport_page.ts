// The in-page half of transport_browser_bench.ts: bundled with esbuild and
// loaded into headless Chromium, where it runs the procedure of
// transport_bench.ts (warm-up, latency in blocks alternating BOSH and
// WebSocket, then a back-to-back burst per transport) with both clients on the
// page. It returns raw samples; the Deno side computes the statistics.
import type { XmppClient } from "../shared/xmpp/session/client.ts";
import {
  boshRoundTrips,
  burst,
  latencyBlock,
  pair,
  rawBoshExchanges,
} from "./support/transport_procedure.ts";

export interface TransportPageConfig {
  boshUrl: string;
  wsUrl: string;
  /** The server's XMPP domain, for the hand-written BOSH session. */
  domain: string;
  latencyMessages: number;
  block: number;
  burst: number;
  warmup: number;
}

export interface TransportPageResult {
  /** Round-trip alice→bob per message, milliseconds, in sending order. */
  boshSamples: number[];
  wsSamples: number[];
  /** Bare HTTP round trips to the same connection manager, milliseconds. */
  fetchRtt: number[];
  /** Hand-written BOSH exchanges (transport_procedure.ts), milliseconds. */
  rawBosh: number[];
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
    await boshRoundTrips(config.boshUrl, config.warmup);
    await rawBoshExchanges(config.boshUrl, config.domain, config.warmup);

    const boshSamples: number[] = [];
    const wsSamples: number[] = [];
    const fetchRtt: number[] = [];
    const rawBosh: number[] = [];
    const blocks = config.latencyMessages / config.block;
    for (let block = 0; block < blocks; block++) {
      boshSamples.push(
        ...await latencyBlock(bosh.a, bosh.b, config.block, `lb${block}-`),
      );
      wsSamples.push(
        ...await latencyBlock(ws.a, ws.b, config.block, `lw${block}-`),
      );
      fetchRtt.push(...await boshRoundTrips(config.boshUrl, config.block));
      rawBosh.push(
        ...await rawBoshExchanges(config.boshUrl, config.domain, config.block),
      );
    }

    const boshBurstMs = await burst(bosh.a, bosh.b, config.burst, "tb");
    const wsBurstMs = await burst(ws.a, ws.b, config.burst, "tw");
    return {
      boshSamples,
      wsSamples,
      fetchRtt,
      rawBosh,
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
