// Message latency and burst throughput, BOSH against WebSocket, same Prosody
// on loopback (issue 2). Latency alternates the transports in blocks (A B A B)
// so a drift of the machine hits both alike.
import type { XmppClient } from "../shared/xmpp/client.ts";
import { startProsody } from "../tests/support/prosody.ts";
import {
  type Metric,
  transportMetrics,
  writeResults,
} from "./support/results.ts";
import { burst, latencyBlock, pair } from "./support/transport_procedure.ts";

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

    const boshSamples: number[] = [];
    const wsSamples: number[] = [];
    for (let block = 0; block < LATENCY_MESSAGES / BLOCK; block++) {
      boshSamples.push(
        ...await latencyBlock(bosh.a, bosh.b, BLOCK, `lb${block}-`),
      );
      wsSamples.push(...await latencyBlock(ws.a, ws.b, BLOCK, `lw${block}-`));
    }

    const boshRate = await throughput(bosh.a, bosh.b, "tb");
    const wsRate = await throughput(ws.a, ws.b, "tw");

    for (const c of [bosh.a, bosh.b, ws.a, ws.b]) await c.stop();

    return transportMetrics({
      boshSamples,
      wsSamples,
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
