// In-page timing for the roster bench. roster_bench.ts bundles this file and
// installs it with addInitScript, so every page of a bench context has
// `globalThis.rosterProbe` before the product's own script runs. Times come
// from the page's clock: the start is the triggering event's `timeStamp`
// (set when the browser created the event, before any handler ran), the end
// a `performance.now()` after the frame that shows the result. Playwright's
// round trips never enter the figures.

// The element's DOM contract: the contact list and its contact rows.
const CONTACT_TREE = '[role="tree"][aria-label="Contacts"]';
const CONTACT_ROW =
  `${CONTACT_TREE} [role="treeitem"][aria-level="2"][data-jid]`;

/**
 * A DOM this long without changes counts as settled. Longer than the
 * element's pause in typing before it asks the directory (250 ms) plus a
 * loopback round trip, so a keystroke's directory answer lands inside its own
 * wait and never inside the next keystroke's timing.
 */
const QUIET_MS = 500;

export interface ProbeTiming {
  /** From the triggering event to the painted result. */
  readonly ms: number;
  /** Contact rows in the DOM at the end (the list is virtualized). */
  readonly contactRows: number;
}

export interface RosterProbe {
  /**
   * Times the next click inside the element (the Sign In button) until the
   * first contact row is in the DOM and a frame showing it was produced.
   */
  armSignIn(timeoutMs: number): void;
  /**
   * Times the next `input` event inside the element (a keystroke in the
   * search field) to the first frame after the last change of the contact
   * list, waiting until the whole element has been quiet for QUIET_MS: a
   * list that renders on the next frame and one that defers (debounce, idle
   * callbacks, chunks) are both timed to when their result is on screen; an
   * input that leaves the list as it was is timed to the next frame. Other
   * changes, such as the directory search's drop-down answering later, are
   * waited for but not timed.
   */
  armSettle(timeoutMs: number): void;
  /**
   * Times the next click inside the element (Sign Out in the state menu)
   * until the sign-in form's button reads "Sign In" again, ready for the
   * next sign-in, and a frame showing it was produced.
   */
  armSignOut(timeoutMs: number): void;
  /** The outcome of the last armed measurement. */
  result(): Promise<ProbeTiming>;
}

export interface ProbeGlobal {
  rosterProbe: RosterProbe;
}

function elementRoot(): ShadowRoot {
  const root = document.querySelector("desktop-chat")?.shadowRoot;
  if (!root) throw new Error("no <desktop-chat> with an open shadow root");
  return root;
}

/**
 * A rAF callback runs just before the browser renders a frame; a task queued
 * from it runs after that frame's style, layout and paint.
 */
function afterNextPaint(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
  );
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function observeAll(root: ShadowRoot, onChange: () => void): MutationObserver {
  const observer = new MutationObserver(onChange);
  observer.observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    characterData: true,
  });
  return observer;
}

function contactRows(root: ShadowRoot): number {
  return root.querySelectorAll(CONTACT_ROW).length;
}

/** `promise`, or a rejection naming `what` after `ms`. */
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

function timeSignIn(root: ShadowRoot): Promise<ProbeTiming> {
  // A row already there would end the timing at once.
  if (root.querySelector(CONTACT_ROW) !== null) {
    throw new Error("contact rows are shown before Sign In");
  }
  const clicked = new Promise<number>((resolve) =>
    root.addEventListener("click", (event) => resolve(event.timeStamp), {
      capture: true,
      once: true,
    })
  );
  const rowPresent = new Promise<void>((resolve) => {
    const observer = observeAll(root, () => {
      if (root.querySelector(CONTACT_ROW) === null) return;
      observer.disconnect();
      resolve();
    });
  });
  return (async () => {
    const start = await clicked;
    await rowPresent;
    const painted = await afterNextPaint();
    return { ms: painted - start, contactRows: contactRows(root) };
  })();
}

function signInReady(root: ShadowRoot): boolean {
  const button = root.querySelector("button.sign-in-submit");
  return button?.textContent === "Sign In" &&
    button.getAttribute("aria-disabled") !== "true";
}

function timeSignOut(root: ShadowRoot): Promise<ProbeTiming> {
  if (signInReady(root)) throw new Error("already signed out");
  const clicked = new Promise<number>((resolve) =>
    root.addEventListener("click", (event) => resolve(event.timeStamp), {
      capture: true,
      once: true,
    })
  );
  const formReady = new Promise<void>((resolve) => {
    const observer = observeAll(root, () => {
      if (!signInReady(root)) return;
      observer.disconnect();
      resolve();
    });
  });
  return (async () => {
    const start = await clicked;
    await formReady;
    const painted = await afterNextPaint();
    return { ms: painted - start, contactRows: contactRows(root) };
  })();
}

/** The contact list as painted: any change to it shows in this string. */
function listState(root: ShadowRoot): string {
  return root.querySelector(CONTACT_TREE)?.outerHTML ?? "";
}

function timeSettle(root: ShadowRoot): Promise<ProbeTiming> {
  let started = false;
  let lastChange = 0;
  let list = "";
  // "After the next frame" for the input and for each change of the list,
  // in order: the last one is the frame that shows the final list.
  const frames: Promise<number>[] = [];
  const input = new Promise<number>((resolve) =>
    root.addEventListener("input", (event) => {
      started = true;
      lastChange = performance.now();
      list = listState(root);
      frames.push(afterNextPaint());
      resolve(event.timeStamp);
    }, { capture: true, once: true })
  );
  const observer = observeAll(root, () => {
    if (!started) return;
    lastChange = performance.now();
    const now = listState(root);
    if (now === list) return;
    list = now;
    frames.push(afterNextPaint());
  });
  return (async () => {
    try {
      const start = await input;
      for (;;) {
        const quietFor = performance.now() - lastChange;
        if (quietFor >= QUIET_MS) break;
        await delay(QUIET_MS - quietFor);
      }
      const painted = await frames[frames.length - 1];
      return { ms: painted - start, contactRows: contactRows(root) };
    } finally {
      observer.disconnect();
    }
  })();
}

let pending: Promise<ProbeTiming> | undefined;

const probe: RosterProbe = {
  armSignIn(timeoutMs) {
    pending = within(
      timeSignIn(elementRoot()),
      timeoutMs,
      "Sign In click → a contact row painted",
    );
    // Kept for result(); a rejection no one asked for is not an error.
    pending.catch(() => {});
  },
  armSettle(timeoutMs) {
    pending = within(
      timeSettle(elementRoot()),
      timeoutMs,
      "input → the element's DOM settled and painted",
    );
    pending.catch(() => {});
  },
  armSignOut(timeoutMs) {
    pending = within(
      timeSignOut(elementRoot()),
      timeoutMs,
      "Sign Out click → the sign-in form ready and painted",
    );
    pending.catch(() => {});
  },
  result() {
    if (!pending) throw new Error("rosterProbe: nothing armed");
    return pending;
  },
};

(globalThis as unknown as ProbeGlobal).rosterProbe = probe;
