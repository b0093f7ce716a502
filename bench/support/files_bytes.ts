// The bench's file contents: pseudo-random bytes from a seed, so the
// receiver's page can rebuild what the sender's page sent and compare it byte
// for byte without the bytes crossing to it any other way. Random-looking so
// no layer on the path (gzip, a cache) can shrink them.

/** The file name carries the seed and size: `bench-<seed>-<size>.bin`. */
export function benchFileName(seed: number, size: number): string {
  return `bench-${seed}-${size}.bin`;
}

/** The seed and size a bench file name carries; undefined for any other. */
export function parseBenchFileName(
  name: string,
): { seed: number; size: number } | undefined {
  const match = /^bench-(\d+)-(\d+)\.bin$/.exec(name);
  if (match === null) return undefined;
  return { seed: Number(match[1]), size: Number(match[2]) };
}

/** `size` bytes of mulberry32 from `seed` (one 32-bit word per step). */
export function seededBytes(
  seed: number,
  size: number,
): Uint8Array<ArrayBuffer> {
  const words = new Uint32Array(Math.ceil(size / 4));
  let state = seed >>> 0;
  for (let i = 0; i < words.length; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    words[i] = (t ^ (t >>> 14)) >>> 0;
  }
  return new Uint8Array(words.buffer, 0, size);
}

/** Index of the first byte where `a` and `b` differ; -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.byteLength, b.byteLength);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.byteLength === b.byteLength ? -1 : n;
}
