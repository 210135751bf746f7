import type { Logger } from '../log';
import type { UpdateStore } from '../storage/update-store';

export interface CompactionOptions {
  /** Compact the log into the snapshot after this many updates. @default 500 */
  compactAfterUpdates: number;
  /** ... or after this many bytes of updates. @default 1 MiB */
  compactAfterBytes: number;
}

/**
 * Counts what a room's log holds since its last compaction and compacts it (SPEC 15) once
 * it is long enough, one compaction at a time. A failed compaction leaves the log intact;
 * the next write tries again.
 */
export class LogCompaction {
  readonly #roomId: string;
  readonly #store: UpdateStore;
  readonly #options: CompactionOptions;
  readonly #log: Logger;
  #count: number;
  #bytes: number;
  #running = false;

  constructor(roomId: string, size: { count: number; bytes: number }, deps: { store: UpdateStore; log: Logger }, options: CompactionOptions) {
    this.#roomId = roomId;
    this.#store = deps.store;
    this.#log = deps.log;
    this.#options = options;
    this.#count = size.count;
    this.#bytes = size.bytes;
  }

  /** An update of `bytes` was appended to the log. */
  appended(bytes: number): void {
    this.#count++;
    this.#bytes += bytes;
    if (this.#running) return;
    if (this.#count < this.#options.compactAfterUpdates && this.#bytes < this.#options.compactAfterBytes) return;
    this.#running = true;
    const started = Date.now();
    this.#store
      .compact(this.#roomId)
      .then(async (done) => {
        if (!done) return;
        const size = await this.#store.logSize(this.#roomId);
        this.#count = size.count;
        this.#bytes = size.bytes;
        this.#log.info('room compacted', { room: this.#roomId, ms: Date.now() - started });
      })
      .catch((err: unknown) => {
        this.#log.error('compaction failed', { room: this.#roomId, error: err });
      })
      .finally(() => {
        this.#running = false;
      });
  }
}
