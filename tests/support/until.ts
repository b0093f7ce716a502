import type { ReadonlySignal } from "@preact/signals-core";

/** Resolves once `signal` satisfies `match`; fails after `ms`. */
export function until<T>(
  signal: ReadonlySignal<T>,
  match: (value: T) => boolean,
  what: string,
  ms = 10_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let stop = () => {};
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`not within ${ms} ms: ${what}`));
    }, ms);
    stop = signal.subscribe((value) => {
      if (!match(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => stop());
      resolve(value);
    });
  });
}
