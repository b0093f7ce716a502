// The one knob of every fast-check property in the repo. In CI (`deno task
// test`) a property runs with its own fixed seed and its CI count (≥ 1,000
// cases), so a failure reproduces. `deno task fuzz` sets
// DESKTOP_CHAT_FUZZ_RUNS to run each property that many times from a fresh
// random seed, printed once, so a failure found there can be replayed with
// DESKTOP_CHAT_FUZZ_SEED=<printed seed> (fast-check's own report also names
// the failing property's seed and path).

export interface FuzzRuns {
  readonly seed: number;
  readonly numRuns: number;
}

/** The CI floor for a property's number of cases (issue 14). */
export const CI_RUNS = 1_000;

function env(name: string): string | undefined {
  // Without --allow-env (a plain `deno test`), the fixed CI settings hold.
  if (
    Deno.permissions.querySync({ name: "env", variable: name }).state !==
      "granted"
  ) {
    return undefined;
  }
  return Deno.env.get(name);
}

function positiveInt(name: string): number | undefined {
  const raw = env(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new TypeError(`${name} must be a whole number, not "${raw}"`);
  }
  return value;
}

let fuzzSeed: number | undefined;

/** The long run's base seed: DESKTOP_CHAT_FUZZ_SEED, else random and printed. */
function baseSeed(): number {
  if (fuzzSeed !== undefined) return fuzzSeed;
  const given = positiveInt("DESKTOP_CHAT_FUZZ_SEED");
  fuzzSeed = given ?? crypto.getRandomValues(new Uint32Array(1))[0];
  console.log(
    `fuzz: base seed ${fuzzSeed}; replay with DESKTOP_CHAT_FUZZ_SEED=${fuzzSeed}`,
  );
  return fuzzSeed;
}

/**
 * fast-check's `{ seed, numRuns }` for one property: `seed` and `ciRuns`
 * (at least CI_RUNS) in CI; under `deno task fuzz`, the larger of `ciRuns`
 * and DESKTOP_CHAT_FUZZ_RUNS from the base seed offset by `seed`, so each
 * property walks its own sequence.
 */
export function fuzzRuns(seed: number, ciRuns: number = CI_RUNS): FuzzRuns {
  if (ciRuns < CI_RUNS) {
    throw new RangeError(`A property runs at least ${CI_RUNS} cases in CI`);
  }
  const runs = positiveInt("DESKTOP_CHAT_FUZZ_RUNS");
  if (runs === undefined) return { seed, numRuns: ciRuns };
  return { seed: (baseSeed() + seed) | 0, numRuns: Math.max(runs, ciRuns) };
}
