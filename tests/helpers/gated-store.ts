import type { ClientBinding, UpdateStore } from '../../sync-server/storage/update-store';

/**
 * A real store whose appends can be held back, as a slow commit would be: `hold()` makes
 * appends wait (in order) until `release()`. Everything else goes straight to `inner`.
 */
export class GatedStore implements UpdateStore {
  readonly #inner: UpdateStore;
  #gate: Promise<void> = Promise.resolve();
  #open: (() => void) | null = null;
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;

  constructor(inner: UpdateStore) {
    this.#inner = inner;
  }

  hold(): void {
    if (!this.#open) this.#gate = new Promise((resolve) => (this.#open = resolve));
  }

  release(): void {
    this.#open?.();
    this.#open = null;
  }

  /** Appends waiting at the gate now: a test knows the server has asked to store a write. */
  get waiting(): number {
    return this.#waiting;
  }

  append(roomId: string, update: Uint8Array, bindings?: readonly ClientBinding[]): Promise<void> {
    this.#waiting++;
    const written = this.#gate.then(() => {
      this.#waiting--;
      return this.#inner.append(roomId, update, bindings);
    });
    this.#tail = written.catch(() => {});
    return written;
  }

  flush(): Promise<void> {
    return this.#tail.then(() => this.#inner.flush());
  }

  load(roomId: string) {
    return this.#inner.load(roomId);
  }
  loadState(roomId: string) {
    return this.#inner.loadState(roomId);
  }
  loadClients(roomId: string) {
    return this.#inner.loadClients(roomId);
  }
  compact(roomId: string) {
    return this.#inner.compact(roomId);
  }
  logSize(roomId: string) {
    return this.#inner.logSize(roomId);
  }
}
