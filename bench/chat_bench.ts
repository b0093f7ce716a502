// The chat figures of bench-format.md (chat.json), measured on the real
// <desktop-chat> element on the shell page in headless Chromium, against the
// real service and a loopback Prosody, over BOSH:
// - message_to_paint: Enter in agent A's composer → the frame showing the
//   message in agent B's window, separate browser contexts, B idle
//   (chat_latency_bench.ts), with the transport alone at the same pace in
//   the same run (`bosh.latency.idle.*`), alternating block by block;
// - burst.500.paint: 500 incoming messages, first sent → last painted;
// - chat_render.10000: a 10,000-message chat opened from its tab and
//   scrolled bottom → top → bottom; its longest main-thread task
//   (chat_render_bench.ts).
// `npx -y deno@2 run -A bench/chat_bench.ts` writes bench/results/chat.json;
// CHAT_BENCH_SAMPLES, CHAT_BENCH_BURSTS, CHAT_BENCH_HISTORY and
// CHAT_BENCH_OPENS make a shorter run, which only prints its figures.
import { launchBrowser } from "../tests/support/browser.ts";
import { measureMessageToPaint } from "./chat_latency_bench.ts";
import { BURST, measureChatRender } from "./chat_render_bench.ts";
import { startChatFixture } from "./support/chat_fixture.ts";
import {
  type Metric,
  percentile,
  round,
  writeResults,
} from "./support/results.ts";

export interface ChatBenchOptions {
  /** message_to_paint samples, and as many of the transport alone. */
  readonly samples: number;
  readonly bursts: number;
  /** Messages in the long chat. */
  readonly history: number;
  /** Tab switches into the long chat. */
  readonly opens: number;
}

export const FULL_RUN: ChatBenchOptions = {
  samples: 200,
  bursts: 7,
  history: 10_000,
  opens: 7,
};

function sorted(samples: readonly number[]): number[] {
  return samples.toSorted((a, b) => a - b);
}

function stat(
  name: string,
  samples: readonly number[],
  p: number,
): Metric {
  return {
    name,
    value: round(percentile(sorted(samples), p)),
    unit: "ms",
    n: samples.length,
  };
}

export async function measureChatInChromium(
  options: ChatBenchOptions = FULL_RUN,
): Promise<Metric[]> {
  await using fixture = await startChatFixture();
  const browser = await launchBrowser();
  // A longest task is wall time: other processes on the cores stretch it.
  console.error(`load average at the start: ${Deno.loadavg().join(", ")}`);
  try {
    const latency = await measureMessageToPaint(
      browser,
      fixture,
      options.samples,
    );
    const render = await measureChatRender(
      browser,
      fixture,
      options.bursts,
      options.history,
      options.opens,
    );
    const m2p = stat("message_to_paint.p50.ms", latency.messageToPaint, 50);
    const idle = stat("bosh.latency.idle.p50", latency.transport, 50);
    const h = options.history;
    console.error(`load average at the end: ${Deno.loadavg().join(", ")}`);
    console.error(
      `the chat's open and scroll, ${render.tasks.tasks} tasks; ` +
        render.tasks.inside.join("\n"),
    );
    console.error(
      `scroll: ${render.scroll.upSteps} frames up, ` +
        `${render.scroll.downSteps} down, longest frame ` +
        `${round(render.scroll.longestFrameMs)} ms`,
    );
    return [
      m2p,
      stat("message_to_paint.p99.ms", latency.messageToPaint, 99),
      idle,
      stat("bosh.latency.idle.p99", latency.transport, 99),
      {
        name: "message_to_paint.over_transport.p50.ms",
        value: round(m2p.value - idle.value),
        unit: "ms",
        n: latency.messageToPaint.length + latency.transport.length,
      },
      stat(`burst.${BURST}.paint.ms`, render.bursts.ui, 50),
      {
        name: `burst.${BURST}.paint.max.ms`,
        value: round(Math.max(...render.bursts.ui)),
        unit: "ms",
        n: render.bursts.ui.length,
      },
      stat(`burst.${BURST}.transport.ms`, render.bursts.transport, 50),
      stat(`chat_render.${h}.open.ms`, render.openMs, 50),
      {
        name: `chat_render.${h}.longest_task.ms`,
        value: round(
          Math.max(render.tasks.longestMs, ...render.longTasks),
        ),
        unit: "ms",
        n: render.tasks.tasks,
      },
      {
        name: `chat_render.${h}.longest_task.cpu.ms`,
        value: round(render.tasks.longestCpuMs),
        unit: "ms",
        n: render.tasks.tasks,
      },
      {
        name: `chat_render.${h}.longtasks.count`,
        value: render.longTasks.length,
        unit: "count",
      },
      {
        name: `chat_render.${h}.scroll.longest_frame.ms`,
        value: round(render.scroll.longestFrameMs),
        unit: "ms",
        n: render.scroll.upSteps + render.scroll.downSteps,
      },
    ];
  } finally {
    await browser.close();
  }
}

function fromEnv(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a positive integer, not "${raw}"`);
  }
  return value;
}

if (import.meta.main) {
  const options: ChatBenchOptions = {
    samples: fromEnv("CHAT_BENCH_SAMPLES", FULL_RUN.samples),
    bursts: fromEnv("CHAT_BENCH_BURSTS", FULL_RUN.bursts),
    history: fromEnv("CHAT_BENCH_HISTORY", FULL_RUN.history),
    opens: fromEnv("CHAT_BENCH_OPENS", FULL_RUN.opens),
  };
  const metrics = await measureChatInChromium(options);
  const full = Object.entries(FULL_RUN).every(([key, value]) =>
    options[key as keyof ChatBenchOptions] >= value
  );
  if (full) {
    await writeResults("chat.json", metrics);
  } else {
    for (const m of metrics) {
      console.log(
        `${m.name.padEnd(42)} ${String(m.value).padStart(10)} ${m.unit}`,
      );
    }
  }
}
