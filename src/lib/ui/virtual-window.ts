/**
 * The arithmetic of a virtualised list of rows of different heights: rows measured so far
 * keep their height, the others use an estimate; offsets are prefix sums, and the visible
 * window is found by binary search. Pure; the component measures and scrolls.
 */
export class RowHeights {
  readonly #measured = new Map<string, number>();
  readonly #estimate: number;
  #keys: readonly string[] = [];
  #offsets = new Float64Array(1);
  #dirty = true;

  constructor(estimate: number) {
    this.#estimate = estimate;
  }

  /** The rows, in order (by key). */
  setKeys(keys: readonly string[]): void {
    this.#keys = keys;
    this.#dirty = true;
  }

  /** Records a measured height; returns the change from what was assumed. */
  measure(key: string, height: number): number {
    const before = this.#measured.get(key) ?? this.#estimate;
    if (before === height) return 0;
    this.#measured.set(key, height);
    this.#dirty = true;
    return height - before;
  }

  get total(): number {
    return this.#prefix()[this.#keys.length] ?? 0;
  }

  /** Top of row `index`. */
  offsetOf(index: number): number {
    const offsets = this.#prefix();
    return offsets[Math.max(0, Math.min(index, this.#keys.length))] ?? 0;
  }

  /** The row under pixel `y` (clamped). */
  indexAt(y: number): number {
    const offsets = this.#prefix();
    let lo = 0;
    let hi = this.#keys.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((offsets[mid] ?? 0) <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Rows to render for a viewport: [start, end) with `overscan` pixels above and below. */
  window(scrollTop: number, viewport: number, overscan: number): { start: number; end: number } {
    if (this.#keys.length === 0) return { start: 0, end: 0 };
    const start = this.indexAt(Math.max(0, scrollTop - overscan));
    const end = Math.min(this.#keys.length, this.indexAt(scrollTop + viewport + overscan) + 1);
    return { start, end };
  }

  #prefix(): Float64Array {
    if (!this.#dirty) return this.#offsets;
    const n = this.#keys.length;
    const offsets = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + (this.#measured.get(this.#keys[i]!) ?? this.#estimate);
    this.#offsets = offsets;
    this.#dirty = false;
    return offsets;
  }
}
