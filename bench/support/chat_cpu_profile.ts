// A V8 CPU profile of one page (CDP Profiler domain) summed per function,
// for a person to read where a page's main thread spends its time: self
// time (the function's own code) and total time (with what it called).
import type { Page } from "playwright-core";

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  /** Microseconds between samples. */
  readonly timeDeltas: readonly number[];
}

export interface CpuProfiler {
  /** Stops and summarises: the `top` functions by self and by total time. */
  stop(top: number): Promise<string[]>;
}

const IDLE = new Set(["(idle)", "(program)"]);

/**
 * The source module of a line of an unminified esbuild bundle: esbuild puts
 * a `// path/to/module.ts` comment before each module's code.
 */
export type SourceOf = (url: string, line: number) => string | undefined;

/** Reads each bundle once (from the service that served it). */
export async function bundleSources(
  urls: Iterable<string>,
): Promise<SourceOf> {
  const modules = new Map<string, { line: number; path: string }[]>();
  for (const url of new Set(urls)) {
    if (!url.startsWith("http")) continue;
    const text = await (await fetch(url)).text();
    const starts: { line: number; path: string }[] = [];
    text.split("\n").forEach((line, i) => {
      const m = line.match(
        /^\/\/ ((?:node_modules|islands|shared|routes)\/\S+)$/,
      );
      if (m) starts.push({ line: i, path: m[1] });
    });
    modules.set(url, starts);
  }
  return (url, line) => {
    const starts = modules.get(url);
    if (!starts) return undefined;
    let found: string | undefined;
    for (const start of starts) {
      if (start.line > line) break;
      found = start.path;
    }
    return found?.replace(/^node_modules\/\.deno\/([^/]+)\/.*$/, "$1");
  };
}

function nameOf(frame: CallFrame, sourceOf: SourceOf): string {
  const file = sourceOf(frame.url, frame.lineNumber) ??
    (frame.url.split("/").pop() || "(native)");
  return `${frame.functionName || "(anonymous)"} ${file}:${
    frame.lineNumber + 1
  }`;
}

function summarise(
  profile: Profile,
  top: number,
  sourceOf: SourceOf,
): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time until the next sample.
    const us = profile.timeDeltas[i + 1] ?? 0;
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) return;
    busy += us;
    const name = nameOf(node.callFrame, sourceOf);
    self.set(name, (self.get(name) ?? 0) + us);
    // Each function once per sample, however deep it recurses.
    const seen = new Set<string>();
    for (
      let at: number | undefined = id;
      at !== undefined;
      at = parent.get(at)
    ) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName === "(root)") continue;
      const key = nameOf(frame, sourceOf);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + us);
    }
  });
  const rank = (m: Map<string, number>) =>
    [...m].toSorted((a, b) => b[1] - a[1]).slice(0, top).map(
      ([name, us]) => `${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`,
    );
  return [
    `busy ${(busy / 1000).toFixed(1)} ms; by self time:`,
    ...rank(self),
    "by total time:",
    ...rank(total),
  ];
}

/** Starts sampling `page`'s main thread every `intervalUs` microseconds. */
export async function startCpuProfile(
  page: Page,
  intervalUs = 100,
): Promise<CpuProfiler> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: intervalUs });
  await cdp.send("Profiler.start");
  return {
    async stop(top) {
      const { profile } = await cdp.send("Profiler.stop");
      await cdp.detach();
      const p = profile as unknown as Profile;
      const sourceOf = await bundleSources(p.nodes.map((n) => n.callFrame.url));
      return summarise(p, top, sourceOf);
    },
  };
}
