import { mergeIntoSnapshot } from './merge';
import type { UpdateStore } from './update-store';

/** An UpdateStore in memory: for tests and for measuring the server without a database. */
export class MemoryUpdateStore implements UpdateStore {
  #snapshots = new Map<string, Uint8Array>();
  #logs = new Map<string, Uint8Array[]>();

  async load(roomId: string): Promise<Uint8Array[]> {
    const snapshot = this.#snapshots.get(roomId);
    return [...(snapshot ? [snapshot] : []), ...(this.#logs.get(roomId) ?? [])];
  }

  async append(roomId: string, update: Uint8Array): Promise<void> {
    let log = this.#logs.get(roomId);
    if (!log) this.#logs.set(roomId, (log = []));
    log.push(update.slice());
  }

  async flush(): Promise<void> {}

  async compact(roomId: string): Promise<boolean> {
    const all = await this.load(roomId);
    if (all.length === 0) return true;
    this.#snapshots.set(roomId, mergeIntoSnapshot(all));
    this.#logs.set(roomId, []);
    return true;
  }

  async logSize(roomId: string): Promise<{ count: number; bytes: number }> {
    const log = this.#logs.get(roomId) ?? [];
    return { count: log.length, bytes: log.reduce((n, u) => n + u.byteLength, 0) };
  }
}
