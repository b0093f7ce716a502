// Where message_to_paint's time goes (a diagnostic, not a figure): the same
// two agents as chat_latency_bench.ts, on unminified bundles.
// `npx -y deno@2 run -A bench/chat_profile.ts timeline [messages]`: each
// message traced by Chromium, printed as one timeline of A's and B's main
// threads from A's Enter keydown to the frame showing it in B's window.
// `… cpu [messages]`: V8 CPU profiles of both pages over the messages,
// summed per function. `… burst [bursts]`: the receiver's profile over
// bursts of 500 (chat_render_bench.ts). `… render [messages]`: its profile
// while a chat of that many messages is opened from its tab and scrolled;
// `… render-trace [messages]`: chat_render_bench.ts's traced open and scroll,
// its longest task and what ran inside it.
import { launchBrowser } from "../tests/support/browser.ts";
import { oneMessage, openChat } from "./chat_latency_bench.ts";
import { fillHistory } from "./support/chat_history_fill.ts";
import {
  bursts,
  measureChatRender,
  switchTo,
  timedOpen,
} from "./chat_render_bench.ts";
import type { ChatProbeGlobal } from "./support/chat_probe.ts";
import { jidOf, startChatFixture, USERS } from "./support/chat_fixture.ts";
import { startCpuProfile } from "./support/chat_cpu_profile.ts";
import {
  openAgent,
  openBareClient,
  sleep,
  stopBareClient,
} from "./support/chat_pages.ts";
import {
  timelineBetween,
  TRACE_CATEGORIES,
  traceEvents,
} from "./support/chat_trace.ts";

const mode = Deno.args[0] ?? "timeline";
const messages = Number(Deno.args[1] ?? 3);
await using fixture = await startChatFixture({ minify: false });
const browser = await launchBrowser();
try {
  if (mode === "render-trace") {
    const r = await measureChatRender(browser, fixture, 1, messages, 2);
    console.log(
      `open ${r.openMs.map((x) => x.toFixed(1)).join(", ")} ms; longest ` +
        `task ${r.tasks.longestMs.toFixed(1)} ms of ${r.tasks.tasks} ` +
        `(most CPU in one: ${r.tasks.longestCpuMs.toFixed(1)} ms); ` +
        `'longtask' entries: ${r.longTasks.join(", ")}`,
    );
    console.log(r.tasks.inside.join("\n"));
    console.log(r.scroll);
  } else if (mode === "burst" || mode === "render") {
    const dave = await openAgent(browser, fixture, USERS.dave);
    const erin = await openBareClient(browser, fixture, USERS.erin);
    if (mode === "burst") {
      await bursts(dave, erin.page, 1);
      const profile = await startCpuProfile(dave.page);
      const ms = (await bursts(dave, erin.page, messages, "p")).ui;
      console.log(`bursts: ${ms.map((x) => x.toFixed(0)).join(", ")} ms`);
      console.log((await profile.stop(40)).join("\n"));
    } else {
      await bursts(dave, erin.page, 0);
      await fillHistory(fixture, USERS.carol, jidOf(USERS.dave), messages);
      const newest = { id: `h${messages - 1}` };
      await switchTo(dave, USERS.carol, newest, 300_000);
      await switchTo(dave, USERS.erin, { id: "hello" }, 10_000);
      await sleep(1000);
      const profile = await startCpuProfile(dave.page);
      console.log(`open: ${await timedOpen(dave, USERS.carol, newest)} ms`);
      console.log(
        await dave.page.evaluate(
          ([first, last]) =>
            (globalThis as unknown as ChatProbeGlobal).chatProbe
              .scrollThrough(first, last),
          ["h0", newest.id] as const,
        ),
      );
      console.log((await profile.stop(40)).join("\n"));
    }
    await stopBareClient(erin.page);
  } else {
    await profileMessages();
  }
} finally {
  await browser.close();
}

async function profileMessages() {
  const bob = await openAgent(browser, fixture, USERS.bob);
  const alice = await openAgent(browser, fixture, USERS.alice);
  const composer = await openChat(alice, bob);
  for (let i = 0; i < 5; i++) {
    await oneMessage(alice.page, composer, bob.page, `warm ${i}`);
  }
  if (mode === "cpu") {
    const a = await startCpuProfile(alice.page);
    const b = await startCpuProfile(bob.page);
    const samples: number[] = [];
    for (let i = 0; i < messages; i++) {
      samples.push(
        await oneMessage(alice.page, composer, bob.page, `profiled ${i}`),
      );
    }
    console.log(
      `${messages} messages, mean ${
        (samples.reduce((x, y) => x + y, 0) / messages).toFixed(1)
      } ms Enter → painted (profiling slows both pages)`,
    );
    console.log("\nA (sender):\n" + (await a.stop(25)).join("\n"));
    console.log("\nB (receiver):\n" + (await b.stop(25)).join("\n"));
  } else {
    for (let i = 0; i < messages; i++) {
      await sleep(300);
      await browser.startTracing(alice.page, {
        categories: [...TRACE_CATEGORIES],
      });
      const ms = await oneMessage(
        alice.page,
        composer,
        bob.page,
        `traced ${i}`,
      );
      const trace = traceEvents(
        new TextDecoder().decode(await browser.stopTracing()),
      );
      console.log(`\nmessage ${i}: ${ms.toFixed(1)} ms Enter → painted`);
      for (
        const line of timelineBetween(
          trace,
          "chat-bench:enter",
          "chat-bench:painted",
          0.3,
        )
      ) console.log(line);
    }
  }
}
