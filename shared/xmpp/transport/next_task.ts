// Running a function as the next task: after every microtask queued so far
// (and those they queue) has run, but without a timer's delay. setTimeout(0)
// is not that: Deno and browsers may delay it by a millisecond or more
// (HTML §8.6 clamps nested timers to 4 ms), which a long poll sent through
// it adds to every message that arrives meanwhile. A MessageChannel message
// is a task of its own (HTML §9.4.4 "posted message task source"), with no
// clamping.

/** Runs `fn` as a next task; the returned function cancels it. */
export function nextTask(fn: () => void): () => void {
  if (typeof MessageChannel === "undefined") {
    const timer = setTimeout(fn, 0);
    return () => clearTimeout(timer);
  }
  const { port1, port2 } = new MessageChannel();
  // A message already posted may still be delivered after close() (Deno).
  let cancelled = false;
  const close = () => {
    port1.close();
    port2.close();
  };
  port1.onmessage = () => {
    close();
    if (!cancelled) fn();
  };
  port2.postMessage(null);
  return () => {
    cancelled = true;
    close();
  };
}
