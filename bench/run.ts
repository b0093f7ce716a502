// `deno task bench`: the transport bench in headless Chromium (the figures
// under the names bench-format.md requires), at the idle pace across two
// browser contexts, and under Deno (the same names prefixed `deno.`), written
// together to bench/results/transport.json; then
// the roster bench (sign-in to painted roster, 5,000-contact render and
// filter, sign-out, element size) to bench/results/roster.json; the chat
// bench (Enter in one agent's window → painted in another's against the
// transport alone at the same pace, bursts of 500, a 10,000-message chat's
// longest task) to bench/results/chat.json; a file's whole path between
// two agents (slot, upload, offer, Accept, download, hash check) to
// bench/results/files.json; last, 100
// sign-ins and sign-outs in a row on Prosody and on ejabberd, in Deno and in
// Chromium, to bench/results/signin.json; and the service's settings reads,
// quiet and under abuse (slow clients, password guessing), to
// bench/results/service.json.
import { writeResults } from "./support/results.ts";
import { measureTransportInChromium } from "./transport_browser_bench.ts";
import { measureTransportInDeno } from "./transport_bench.ts";
import { measureIdleLatencyInChromium } from "./transport_idle_bench.ts";
import { measureRosterInChromium } from "./roster_bench.ts";
import { measureChatInChromium } from "./chat_bench.ts";
import { measureFilesInChromium } from "./files_bench.ts";
import { measureSignInLoops } from "./signin_loop_bench.ts";
import { measureService } from "./service_bench.ts";

async function timed<T>(what: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  console.error(`${what}: ${seconds.toFixed(1)} s`);
  return result;
}

const inChromium = await timed(
  "transport bench in Chromium",
  measureTransportInChromium,
);
const idle = await timed(
  "idle-pace latency in Chromium",
  measureIdleLatencyInChromium,
);
const inDeno = await timed("transport bench in Deno", measureTransportInDeno);
await writeResults("transport.json", [
  ...inChromium,
  ...idle,
  ...inDeno.map((m) => ({ ...m, name: `deno.${m.name}` })),
]);
await writeResults(
  "roster.json",
  await timed("roster bench in Chromium", measureRosterInChromium),
);
await writeResults(
  "chat.json",
  await timed("chat bench in Chromium", () => measureChatInChromium()),
);
await writeResults(
  "files.json",
  await timed("attachments in Chromium", () => measureFilesInChromium()),
);
await writeResults(
  "signin.json",
  await timed("sign-in loops on Prosody and ejabberd", measureSignInLoops),
);
await writeResults(
  "service.json",
  await timed("service under abuse", () => measureService()),
);
