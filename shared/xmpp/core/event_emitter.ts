// The part of Node's EventEmitter that the element's libraries call, bundled
// by scripts/build.ts in place of npm "events" (its whole 3.3 API, 6 KB
// minified): xmpp.js (@xmpp/events re-exports it, onoff.js binds
// addListener/removeListener/once) and ltx's parser only ever call on,
// addListener, once, removeListener and emit. Left out are the max-listener
// warning, prepend*, removeAllListeners, listener introspection and the
// newListener/removeListener meta-events, which nothing in the element uses.
// Deno's own code and tests keep Node's EventEmitter; event_emitter_test.ts
// runs the same random sequences of calls on this one and on Node's and
// expects the same listener calls, results and throws.

type Listener = (...args: unknown[]) => unknown;

/** A `once` registration: removable by the listener it wraps, as in Node. */
interface OnceWrapper extends Listener {
  readonly listener: Listener;
}

export class EventEmitter {
  // Copy-on-write lists: an emit walks the list as it was when it began,
  // whatever its listeners add or remove (Node clones it for the same reason).
  #listeners = new Map<string | symbol, readonly Listener[]>();

  on(type: string | symbol, listener: Listener): this {
    checkListener(listener);
    this.#listeners.set(type, [...this.#listeners.get(type) ?? [], listener]);
    return this;
  }

  addListener(type: string | symbol, listener: Listener): this {
    return this.on(type, listener);
  }

  once(type: string | symbol, listener: Listener): this {
    checkListener(listener);
    let fired = false;
    const wrapper = Object.assign((...args: unknown[]) => {
      // Guards a call from an emit that began before the first one removed it.
      if (fired) return undefined;
      fired = true;
      this.removeListener(type, wrapper);
      return listener.apply(this, args);
    }, { listener });
    return this.on(type, wrapper);
  }

  /** Removes the last registration of `listener` (or of a `once` wrapping it). */
  removeListener(type: string | symbol, listener: Listener): this {
    checkListener(listener);
    const list = this.#listeners.get(type) ?? [];
    // Built for es2022 (scripts/build.ts), so no findLastIndex or toSpliced.
    let at = list.length - 1;
    while (
      at >= 0 && list[at] !== listener &&
      (list[at] as Partial<OnceWrapper>).listener !== listener
    ) at--;
    if (at === -1) return this;
    if (list.length === 1) this.#listeners.delete(type);
    else this.#listeners.set(type, list.filter((_, index) => index !== at));
    return this;
  }

  off(type: string | symbol, listener: Listener): this {
    return this.removeListener(type, listener);
  }

  /**
   * Calls the listeners of `type` in order; `true` when there were any.
   * An `error` nobody listens to is thrown, as Node throws it.
   */
  emit(type: string | symbol, ...args: unknown[]): boolean {
    const list = this.#listeners.get(type);
    if (list === undefined) {
      if (type !== "error") return false;
      const [error] = args;
      if (error instanceof Error) throw error;
      throw Object.assign(
        new Error(
          `Unhandled error.${
            error ? ` (${(error as { message?: unknown }).message})` : ""
          }`,
        ),
        { context: error },
      );
    }
    for (const listener of list) listener.apply(this, args);
    return true;
  }
}

function checkListener(listener: unknown): void {
  if (typeof listener !== "function") {
    throw new TypeError(
      `The "listener" argument must be of type Function. Received type ${typeof listener}`,
    );
  }
}
