/**
 * The awareness clientIDs one connection introduced: almost always one (its tab's), so one
 * is kept in a field and a Set is made only for a second. An empty Set costs ~230 bytes,
 * which at 20,000 connections is more than a tenth of the memory the server may spend on each.
 */
export class ClientIds implements Iterable<number> {
  /** The only id, or -1 (clientIDs are unsigned). Unused once `#many` exists. */
  #one = -1;
  #many: Set<number> | null = null;

  get size(): number {
    if (this.#many) return this.#many.size;
    return this.#one < 0 ? 0 : 1;
  }

  has(id: number): boolean {
    return this.#many ? this.#many.has(id) : this.#one === id;
  }

  add(id: number): void {
    if (this.#many) this.#many.add(id);
    else if (this.#one < 0 || this.#one === id) this.#one = id;
    else this.#many = new Set([this.#one, id]);
  }

  delete(id: number): void {
    if (this.#many) this.#many.delete(id);
    else if (this.#one === id) this.#one = -1;
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.#many) yield* this.#many;
    else if (this.#one >= 0) yield this.#one;
  }
}
