// In-page timing for the chat bench. chat_bench.ts bundles this file and
// installs it with addInitScript, so every page of a bench context has
// `globalThis.chatProbe` before the product's own script runs. Times are
// absolute (performance.timeOrigin + a page time): Chromium derives both from
// one system-wide monotonic clock in every renderer, so a keydown in one
// browser context and a paint in another can be subtracted (chat_bench.ts
// checks it). A start is the triggering event's `timeStamp` (set when the
// browser created the event, before any handler ran); an end is a task queued
// from the requestAnimationFrame callback of the first frame in which the
// message row is laid out inside the visible part of the message list, so
// that frame's style, layout and paint are included.

import { findRow, LOG, type RowMatch, rowShown } from "./chat_rows.ts";

export type { RowMatch };

export interface ScrollOutcome {
  /** Frames (one scrollTop step each) from the bottom to the top. */
  readonly upSteps: number;
  readonly downSteps: number;
  /** Whether the row of `firstId` was in the DOM at the top. */
  readonly sawFirst: boolean;
  readonly sawLast: boolean;
  /** The longest gap between two consecutive frames while scrolling. */
  readonly longestFrameMs: number;
}

export interface ChatProbe {
  /** The absolute time now. */
  now(): number;
  /** Arms: the next Enter keydown anywhere in the page (absolute time). */
  armEnter(timeoutMs: number): void;
  enterAt(): Promise<number>;
  /** Arms: the first frame showing a row matching `match` (absolute time). */
  armRow(match: RowMatch, timeoutMs: number): void;
  rowPainted(): Promise<number>;
  /**
   * Arms: the next click inside the element until a frame shows the row of
   * `match`; resolves with the milliseconds between them.
   */
  armOpen(match: RowMatch, timeoutMs: number): void;
  opened(): Promise<number>;
  /**
   * Scrolls the message list from the bottom to the top and back, two
   * pages (the list's client height) per frame.
   */
  scrollThrough(firstId: string, lastId: string): Promise<ScrollOutcome>;
  /** Durations of the 'longtask' entries (≥ 50 ms) that started after `since` (page time). */
  longTasks(since: number): number[];
  /** A performance.mark whose trace event marks a window (chat_trace.ts). */
  mark(name: string): number;
}

export interface ChatProbeGlobal {
  chatProbe: ChatProbe;
}

const MAX_SCROLL_STEPS = 20_000;
/**
 * Two pages per frame: every frame mounts rows the list had not mounted
 * (more than its overscan), and 10,000 messages take about a minute.
 */
const PAGES_PER_FRAME = 2;

const longTaskEntries: PerformanceEntry[] = [];
new PerformanceObserver((list) => longTaskEntries.push(...list.getEntries()))
  .observe({ type: "longtask", buffered: true });

function absolute(pageTime: number): number {
  return performance.timeOrigin + pageTime;
}

function elementRoot(): ShadowRoot {
  const root = document.querySelector("desktop-chat")?.shadowRoot;
  if (!root) throw new Error("no <desktop-chat> with an open shadow root");
  return root;
}

function nextFrame(): Promise<number> {
  return new Promise((resolve) => requestAnimationFrame(resolve));
}

/** After the next frame has been produced (its rAF, then a task). */
function afterNextPaint(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
  );
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`not within ${ms} ms: ${what}`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function describe(match: RowMatch): string {
  return match.id !== undefined ? `row ${match.id}` : `row "${match.body}"`;
}

/** Steps scrollTop by `direction` pages, one per frame, until it stops. */
async function scrollAll(
  log: HTMLElement,
  direction: -1 | 1,
  frameGaps: number[],
): Promise<number> {
  let steps = 0;
  let last = performance.now();
  const atEnd = () =>
    direction < 0
      ? log.scrollTop <= 0
      : log.scrollTop + log.clientHeight >= log.scrollHeight - 1;
  // A list that measures rows as they come may move its end: at the end,
  // two more frames must leave it there.
  let stillAtEnd = 0;
  while (stillAtEnd < 2) {
    if (++steps > MAX_SCROLL_STEPS) {
      throw new Error(`the list never reached its end (${steps} frames)`);
    }
    if (atEnd()) {
      stillAtEnd++;
    } else {
      stillAtEnd = 0;
      log.scrollTop += direction * PAGES_PER_FRAME * log.clientHeight;
    }
    const frame = await nextFrame();
    frameGaps.push(frame - last);
    last = frame;
  }
  return steps;
}

let enter: Promise<number> | undefined;
let row: Promise<number> | undefined;
let open: Promise<number> | undefined;

function kept<T>(promise: Promise<T>): Promise<T> {
  // Kept for the result call; a rejection no one asked for is not an error.
  promise.catch(() => {});
  return promise;
}

const probe: ChatProbe = {
  now: () => absolute(performance.now()),
  armEnter(timeoutMs) {
    const pressed = new Promise<number>((resolve) => {
      const listener = (event: KeyboardEvent) => {
        if (event.key !== "Enter") return;
        removeEventListener("keydown", listener, { capture: true });
        performance.mark("chat-bench:enter", { startTime: event.timeStamp });
        resolve(absolute(event.timeStamp));
      };
      addEventListener("keydown", listener, { capture: true });
    });
    enter = kept(within(pressed, timeoutMs, "an Enter keydown"));
  },
  enterAt() {
    if (!enter) throw new Error("chatProbe: Enter not armed");
    return enter;
  },
  armRow(match, timeoutMs) {
    row = kept(within(
      rowShown(elementRoot(), match).then(absolute),
      timeoutMs,
      `${describe(match)} painted`,
    ));
  },
  rowPainted() {
    if (!row) throw new Error("chatProbe: row not armed");
    return row;
  },
  armOpen(match, timeoutMs) {
    const root = elementRoot();
    const clicked = new Promise<number>((resolve) =>
      root.addEventListener("click", (event) => resolve(event.timeStamp), {
        capture: true,
        once: true,
      })
    );
    open = kept(within(
      (async () => {
        const start = await clicked;
        return await rowShown(root, match) - start;
      })(),
      timeoutMs,
      `click → ${describe(match)} painted`,
    ));
  },
  opened() {
    if (!open) throw new Error("chatProbe: open not armed");
    return open;
  },
  async scrollThrough(firstId, lastId) {
    const root = elementRoot();
    const log = root.querySelector<HTMLElement>(LOG);
    if (!log) throw new Error(`no ${LOG} in the element`);
    const gaps: number[] = [];
    await afterNextPaint();
    const upSteps = await scrollAll(log, -1, gaps);
    const sawFirst = findRow(root, { id: firstId }) !== undefined;
    const downSteps = await scrollAll(log, 1, gaps);
    const sawLast = findRow(root, { id: lastId }) !== undefined;
    return {
      upSteps,
      downSteps,
      sawFirst,
      sawLast,
      longestFrameMs: Math.max(...gaps),
    };
  },
  longTasks(since) {
    return longTaskEntries
      .filter((entry) => entry.startTime >= since)
      .map((entry) => entry.duration);
  },
  mark(name) {
    return performance.mark(name).startTime;
  },
};

(globalThis as unknown as ChatProbeGlobal).chatProbe = probe;
