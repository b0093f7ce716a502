// Message latency and burst throughput, BOSH against WebSocket, same Prosody
// on loopback (issue 2), with the floors under BOSH latency (a bare HTTP round
// trip to the same server, a hand-written BOSH exchange). Latency alternates
// the four in blocks (A B C D A B C D) so a drift of the machine hits all
// alike.
import type { XmppClient } from "../shared/xmpp/session/client.ts";
import { startProsody } from "../scripts/servers/prosody.ts";
import {
  type Metric,
  transportMetrics,
  writeResults,
} from "./support/results.ts";
import {
  boshRoundTrips,
  burst,
  latencyBlock,
  pair,
  rawBoshExchanges,
} from "./support/transport_procedure.ts";

const LATENCY_MESSAGES = 1000;
const BLOCK = 100;
const BURST = 5000;

async function throughput(a: XmppClient, b: XmppClient, tag: string) {
  const ms = await burst(a, b, BURST, tag);
  return BURST / (ms / 1000);
}

/** Runs the bench with both clients in this Deno process; returns its metrics. */
export async function measureTransportInDeno(): Promise<Metric[]> {
  const prosody = await startProsody({
    users: [
      { username: "alice", password: "alice-pw" },
      { username: "bob", password: "bob-pw" },
    ],
  });
  try {
    const bosh = await pair(prosody.boshUrl);
    const ws = await pair(prosody.wsUrl);
    // Warm up both paths (JIT, connection pools).
    await latencyBlock(bosh.a, bosh.b, 50, "wb");
    await latencyBlock(ws.a, ws.b, 50, "ww");
    await boshRoundTrips(prosody.boshUrl, 50);
    await rawBoshExchanges(prosody.boshUrl, "localhost", 50);

    const boshSamples: number[] = [];
    const wsSamples: number[] = [];
    const fetchRtt: number[] = [];
    const rawBosh: number[] = [];
    for (let block = 0; block < LATENCY_MESSAGES / BLOCK; block++) {
      boshSamples.push(
        ...await latencyBlock(bosh.a, bosh.b, BLOCK, `lb${block}-`),
      );
      wsSamples.push(...await latencyBlock(ws.a, ws.b, BLOCK, `lw${block}-`));
      fetchRtt.push(...await boshRoundTrips(prosody.boshUrl, BLOCK));
      rawBosh.push(
        ...await rawBoshExchanges(prosody.boshUrl, "localhost", BLOCK),
      );
    }

    const boshRate = await throughput(bosh.a, bosh.b, "tb");
    const wsRate = await throughput(ws.a, ws.b, "tw");

    for (const c of [bosh.a, bosh.b, ws.a, ws.b]) await c.stop();

    return transportMetrics({
      bosh: boshSamples,
      ws: wsSamples,
      fetchRtt,
      rawBosh,
      boshRate,
      wsRate,
      burst: BURST,
    });
  } finally {
    await prosody.stop();
  }
}

if (import.meta.main) {
  await writeResults("transport.json", await measureTransportInDeno());
}
