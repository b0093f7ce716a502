// The longest main-thread task of one page, from a Chromium trace. A
// PerformanceObserver for 'longtask' reports only tasks of 50 ms or more
// (Long Tasks API §3), so it cannot give a figure for a target of "≤ 50 ms";
// the trace's top-level task events give every task's duration. The page
// marks the window with two performance.mark calls: their trace events carry
// the renderer's pid and main-thread tid, which tells this page's tasks apart
// from other renderers' in a browser-wide trace.

/** One event of Chromium's Trace Event Format (JSON array form). */
export interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  /** Microseconds. */
  readonly ts: number;
  readonly dur?: number;
  /** Thread (CPU) time of an "X" event, microseconds. */
  readonly tdur?: number;
  readonly pid: number;
  readonly tid: number;
  readonly args?: {
    readonly data?: Record<string, unknown>;
    readonly name?: string;
    readonly beginData?: Record<string, unknown>;
  };
}

/**
 * The trace categories this module reads; CHAT_TRACE_CATEGORIES (comma
 * separated) adds more when a task's insides need finding out.
 */
export const TRACE_CATEGORIES: readonly string[] = [
  // Top-level task events (ThreadControllerImpl::RunTask).
  "toplevel",
  // What ran inside them: FunctionCall, EventDispatch, Layout, Paint, GC…
  "devtools.timeline",
  // performance.mark
  "blink.user_timing",
  ...(Deno.env.get("CHAT_TRACE_CATEGORIES")?.split(",") ?? []),
];

const TASK_NAMES = new Set(["ThreadControllerImpl::RunTask", "RunTask"]);

export interface TaskReport {
  /** The longest task between the marks, in milliseconds. */
  readonly longestMs: number;
  /**
   * The most CPU time the thread spent in one task: a task's wall time also
   * counts time the thread was not running (other processes on the cores,
   * a commit waiting for the compositor), which this does not.
   */
  readonly longestCpuMs: number;
  /** Top-level tasks between the marks. */
  readonly tasks: number;
  /**
   * The biggest events inside the longest task and inside the one with the
   * most CPU time, "12.3 ms Layout" etc.
   */
  readonly inside: readonly string[];
}

function mark(events: readonly TraceEvent[], name: string): TraceEvent {
  const found = events.find((e) =>
    e.name === name && e.cat.includes("blink.user_timing")
  );
  if (!found) throw new Error(`the trace has no performance.mark "${name}"`);
  return found;
}

function label(e: TraceEvent): string {
  const data = e.args?.data ?? {};
  switch (e.name) {
    case "FunctionCall":
      return `FunctionCall ${data.functionName || "(anonymous)"} ` +
        `${data.url}:${data.lineNumber}:${data.columnNumber}`;
    case "EventDispatch":
      return `EventDispatch ${data.type}`;
    case "Layout": {
      const begin = e.args?.beginData ?? {};
      return `Layout (${begin.dirtyObjects} of ${begin.totalObjects} ` +
        `objects dirty)`;
    }
    case "Paint":
      return `Paint of node ${data.nodeId} clip ${JSON.stringify(data.clip)}`;
    case "TimerFire":
      return `TimerFire ${data.timerId}`;
    default:
      return e.name;
  }
}

/** Reads `{ traceEvents }` or a bare array, as Chromium writes either. */
export function traceEvents(json: string): TraceEvent[] {
  const parsed: unknown = JSON.parse(json);
  if (Array.isArray(parsed)) return parsed as TraceEvent[];
  const events = (parsed as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(events)) throw new Error("not a Chromium trace");
  return events as TraceEvent[];
}

/** What ran inside `task`, biggest first, for a person to read. */
function inside(
  events: readonly TraceEvent[],
  task: TraceEvent,
  start: TraceEvent,
): string[] {
  const from = task.ts;
  const to = task.ts + (task.dur ?? 0);
  // Events nest (a FunctionCall holds its Layout), so sums overlap.
  const sums = new Map<string, { us: number; count: number }>();
  for (const e of events) {
    if (
      e.pid !== task.pid || e.tid !== task.tid || e.ph !== "X" ||
      TASK_NAMES.has(e.name) || e.ts < from || e.ts + (e.dur ?? 0) > to
    ) continue;
    const key = label(e);
    const sum = sums.get(key) ?? { us: 0, count: 0 };
    sum.us += e.dur ?? 0;
    sum.count++;
    sums.set(key, sum);
  }
  // What the renderer's other threads (compositor, raster workers) did
  // meanwhile: a main thread waiting on them shows little CPU time.
  const names = new Map<number, string>();
  for (const e of events) {
    if (e.ph === "M" && e.name === "thread_name" && e.pid === task.pid) {
      names.set(e.tid, String(e.args?.name));
    }
  }
  const others = new Map<string, number>();
  for (const e of events) {
    if (
      e.pid !== task.pid || e.tid === task.tid || e.ph !== "X" ||
      e.ts < from || e.ts > to
    ) continue;
    const key = `${names.get(e.tid) ?? e.tid}: ${e.name}`;
    others.set(key, (others.get(key) ?? 0) + (e.dur ?? 0));
  }
  return [
    `${((task.dur ?? 0) / 1000).toFixed(1)} ms task at ` +
    `${((from - start.ts) / 1000).toFixed(1)} ms after the start mark, ` +
    `${((task.tdur ?? 0) / 1000).toFixed(1)} ms of it on the CPU; inside ` +
    "it (wall time, sums, nested events overlap):",
    ...[...sums]
      .toSorted((a, b) => b[1].us - a[1].us)
      .slice(0, 15)
      .map(([name, { us, count }]) =>
        `  ${(us / 1000).toFixed(1)} ms ${name}${count > 1 ? ` ×${count}` : ""}`
      ),
    "meanwhile on the renderer's other threads:",
    ...[...others]
      .toSorted((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, us]) => `  ${(us / 1000).toFixed(1)} ms ${name}`),
  ];
}

/** The longest task on the thread that made both marks, between them. */
export function longestTask(
  events: readonly TraceEvent[],
  startMark: string,
  endMark: string,
): TaskReport {
  const start = mark(events, startMark);
  const end = mark(events, endMark);
  const tasks = events.filter((e) =>
    e.pid === start.pid && e.tid === start.tid && e.ph === "X" &&
    TASK_NAMES.has(e.name) && e.ts + (e.dur ?? 0) >= start.ts &&
    e.ts <= end.ts
  );
  if (tasks.length === 0) throw new Error("no tasks between the marks");
  const longest = tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  const busiest = tasks.reduce((a, b) => (b.tdur ?? 0) > (a.tdur ?? 0) ? b : a);
  return {
    longestMs: (longest.dur ?? 0) / 1000,
    longestCpuMs: (busiest.tdur ?? 0) / 1000,
    tasks: tasks.length,
    inside: [
      "the longest task:",
      ...inside(events, longest, start),
      "the task with the most CPU time:",
      ...inside(events, busiest, start),
    ],
  };
}
const NETWORK = new Set([
  "ResourceSendRequest",
  "ResourceReceiveResponse",
  "ResourceFinish",
]);

function lastMark(events: readonly TraceEvent[], name: string): TraceEvent {
  const found = events.findLast((e) =>
    e.name === name && e.cat.includes("blink.user_timing")
  );
  if (!found) throw new Error(`the trace has no performance.mark "${name}"`);
  return found;
}

/**
 * What the main threads of two pages did between a mark in the first
 * (`fromMark`) and a mark in the second (`toMark`), for a person to read:
 * one line per task of at least `minMs`, the events of at least `minMs`
 * inside it indented, and the page's fetches as they leave and return;
 * times in milliseconds from the first mark.
 */
export function timelineBetween(
  events: readonly TraceEvent[],
  fromMark: string,
  toMark: string,
  minMs: number,
): string[] {
  const from = lastMark(events, fromMark);
  const to = lastMark(events, toMark);
  const threads = new Map([
    [`${from.pid}:${from.tid}`, "A"],
    [`${to.pid}:${to.tid}`, "B"],
  ]);
  const min = minMs * 1000;
  const lines: { ts: number; text: string }[] = [];
  const at = (ts: number) => ((ts - from.ts) / 1000).toFixed(2).padStart(7);
  for (const e of events) {
    const who = threads.get(`${e.pid}:${e.tid}`);
    if (!who || e.ts + (e.dur ?? 0) < from.ts || e.ts > to.ts) continue;
    const dur = e.dur ?? 0;
    if (NETWORK.has(e.name)) {
      const url = String(e.args?.data?.url ?? "");
      lines.push({
        ts: e.ts,
        text: `${at(e.ts)} ${who}   ${e.name} ${url.slice(-40)}`,
      });
    } else if (e.ph === "X" && dur >= min) {
      const task = TASK_NAMES.has(e.name);
      if (task && e.name === "RunTask") continue;
      lines.push({
        ts: e.ts + (task ? 0 : 0.001),
        text: `${at(e.ts)} ${who} ${task ? "" : "  "}${
          (dur / 1000).toFixed(2)
        } ms${
          e.tdur === undefined ? "" : ` (cpu ${(e.tdur / 1000).toFixed(2)})`
        } ${task ? "task" : label(e)}`,
      });
    }
  }
  lines.push({ ts: to.ts, text: `${at(to.ts)} B   ${toMark}` });
  return lines.toSorted((a, b) => a.ts - b.ts).map((l) => l.text);
}
