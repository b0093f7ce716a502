import assert from "node:assert/strict";
import { EventEmitter as NodeEventEmitter } from "node:events";
import fc from "fast-check";
import { fuzzRuns } from "../../../tests/support/fuzz.ts";
import { EventEmitter } from "./event_emitter.ts";

type Emitter = Pick<
  EventEmitter,
  "on" | "addListener" | "once" | "removeListener" | "off" | "emit"
>;

const EVENTS = ["a", "b", "error"] as const;
type EventName = typeof EVENTS[number];

type Step =
  | {
    readonly kind: "on" | "addListener" | "once" | "removeListener" | "off";
    readonly event: EventName;
    readonly listener: number;
  }
  | { readonly kind: "emit"; readonly event: EventName; readonly arg: string };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom(
      "on" as const,
      "addListener" as const,
      "once" as const,
      "removeListener" as const,
      "off" as const,
    ),
    event: fc.constantFrom(...EVENTS),
    listener: fc.oneof(fc.nat(1), fc.nat(4)),
  }),
  fc.record({
    kind: fc.constant("emit" as const),
    event: fc.constantFrom(...EVENTS),
    arg: fc.constantFrom("x", "y", "error-object"),
  }),
);

/**
 * Runs `steps` on `emitter` and returns what happened: each listener call
 * (which listener, with what, on which `this`), each emit's result and each
 * throw. Listeners 3 and 4 change the emitter while it emits, the cases where
 * a naive emitter skips or repeats a listener.
 */
function run(emitter: Emitter, steps: readonly Step[]): string[] {
  const log: string[] = [];
  const errors = new Map<string, Error>();
  let depth = 0;
  const listeners = [0, 1, 2, 3, 4].map((id) =>
    function (this: unknown, ...args: unknown[]) {
      log.push(`call ${id} ${String(args[0])} this=${this === emitter}`);
      if (id === 3) {
        emitter.removeListener("a", listeners[0]);
        emitter.on("b", listeners[2]);
      }
      if (id === 4 && depth < 2) {
        emitter.once("a", listeners[1]);
        depth++;
        log.push(`nested ${emitter.emit("a", "nested")}`);
        depth--;
      }
    }
  );
  for (const item of steps) {
    if (item.kind !== "emit") {
      emitter[item.kind](item.event, listeners[item.listener]);
      continue;
    }
    const arg = item.arg === "error-object"
      ? errors.get(item.event) ?? new Error(item.event)
      : item.arg;
    if (arg instanceof Error) errors.set(item.event, arg);
    try {
      log.push(`emit ${item.event} ${emitter.emit(item.event, arg)}`);
    } catch (error) {
      // The error passed is thrown as is; anything else is wrapped.
      log.push(`threw ${error === arg ? "the error" : error instanceof Error}`);
    }
  }
  return log;
}

Deno.test("EventEmitter behaves as Node's on any sequence of calls", () => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60, size: "max" }), (steps) => {
      assert.deepEqual(
        run(new EventEmitter(), steps),
        run(new NodeEventEmitter() as unknown as Emitter, steps),
      );
    }),
    fuzzRuns(1312, 2_000),
  );
});

Deno.test("EventEmitter: once, removal by the wrapped listener, unhandled error", () => {
  const emitter = new EventEmitter();
  const calls: unknown[] = [];
  const listener = (value: unknown) => calls.push(value);
  emitter.once("a", listener).on("a", listener);
  assert.equal(emitter.emit("a", 1), true);
  assert.equal(emitter.emit("a", 2), true);
  emitter.off("a", listener);
  assert.equal(emitter.emit("a", 3), false);
  assert.deepEqual(calls, [1, 1, 2]);

  const once = () => calls.push(0);
  emitter.once("b", once).removeListener("b", once);
  assert.equal(emitter.emit("b"), false);

  const error = new Error("boom");
  assert.throws(
    () => emitter.emit("error", error),
    (thrown) => thrown === error,
  );
  assert.throws(() => emitter.emit("error", "text"), /Unhandled error/);
  assert.throws(
    () => emitter.on("a", "not a function" as unknown as () => void),
    TypeError,
  );
});
