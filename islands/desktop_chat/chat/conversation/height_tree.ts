// Row heights of the message list in a Fenwick tree (binary indexed tree,
// Fenwick 1994): one row's height changes, the top of any row is asked for,
// and the row under a scroll position is found, each in O(log n). A
// 10,000-row chat whose rows are measured one by one while it scrolls
// never re-adds every height.

export class HeightTree {
  readonly #sizes: Float64Array;
  /** 1-based: #tree[i] sums sizes (i - lowbit(i), i]. */
  readonly #tree: Float64Array;
  readonly #top: number;

  /** Built in O(n) from the heights, oldest row first. */
  constructor(sizes: ArrayLike<number>) {
    const n = sizes.length;
    this.#sizes = Float64Array.from(sizes);
    this.#tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      this.#tree[i] += this.#sizes[i - 1];
      const parent = i + (i & -i);
      if (parent <= n) this.#tree[parent] += this.#tree[i];
    }
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.#top = top;
  }

  get count(): number {
    return this.#sizes.length;
  }

  get total(): number {
    return this.offsetOf(this.count);
  }

  sizeOf(index: number): number {
    return this.#sizes[index];
  }

  /** Sets row `index`'s height; false when it already was that. */
  set(index: number, size: number): boolean {
    const delta = size - this.#sizes[index];
    if (delta === 0 || !(index >= 0 && index < this.count)) return false;
    this.#sizes[index] = size;
    for (let i = index + 1; i <= this.count; i += i & -i) {
      this.#tree[i] += delta;
    }
    return true;
  }

  /** The top of row `index` (the total for index = count). */
  offsetOf(index: number): number {
    let sum = 0;
    for (let i = Math.min(index, this.count); i > 0; i -= i & -i) {
      sum += this.#tree[i];
    }
    return sum;
  }

  /** The row covering `y`, clamped to the rows there are; -1 when none. */
  indexAt(y: number): number {
    const n = this.count;
    if (n === 0) return -1;
    // Binary lifting: the most rows whose heights add up to at most y.
    let position = 0;
    let rest = y;
    for (let step = this.#top; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= n && this.#tree[next] <= rest) {
        position = next;
        rest -= this.#tree[next];
      }
    }
    return Math.min(position, n - 1);
  }
}
