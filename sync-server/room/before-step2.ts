/** How long updates may wait for the step 2 they build on. */
const WAIT_MS = 30_000;
/** Bytes a connection may have waiting: far above what anyone types in one round trip. */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Updates a connection sent before its sync step 2 that build on changes only that step 2
 * carries. A y-websocket client counts as synced on the server's step 2 and may write at
 * once (a read receipt), while its own step 2 (its offline changes) answers the server's
 * step 1, which goes out only once the writes in flight are stored: the new update can
 * overtake the changes it builds on. It waits for them here, and so does everything the
 * connection sends after it, in order, bounded in bytes and time.
 */
export class UpdatesBeforeStep2 {
  #arrived = false;
  /** Null while nothing waits: most connections never hold anything. */
  #held: Uint8Array[] | null = null;
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** Updates are waiting: a new one queues behind them. */
  get holding(): boolean {
    return this.#held !== null;
  }

  /** Whether an update that builds on missing changes may wait (the step 2 has not come). */
  get mayHold(): boolean {
    return !this.#arrived;
  }

  /**
   * Keeps an update until the step 2; false when too much is waiting already. `onExpired`
   * runs if the step 2 does not come in time.
   */
  hold(update: Uint8Array, onExpired: () => void): boolean {
    if (this.#bytes + update.byteLength > MAX_BYTES) return false;
    (this.#held ??= []).push(update);
    this.#bytes += update.byteLength;
    if (!this.#timer) {
      this.#timer = setTimeout(onExpired, WAIT_MS);
      this.#timer.unref?.();
    }
    return true;
  }

  /** The step 2 came: returns what waited for it, in order; nothing waits from now on. */
  arrive(): Uint8Array[] {
    this.#arrived = true;
    const held = this.#held ?? [];
    this.dispose();
    return held;
  }

  dispose(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#held = null;
    this.#bytes = 0;
  }
}
