import { mergeIntoSnapshot } from './merge';
import type { ClientBinding, UpdateStore } from './update-store';

/** An UpdateStore in memory: for tests and for measuring the server without a database. */
export class MemoryUpdateStore implements UpdateStore {
  #snapshots = new Map<string, Uint8Array>();
  #logs = new Map<string, Uint8Array[]>();
  #clients = new Map<string, Map<number, string>>();

  async load(roomId: string): Promise<Uint8Array[]> {
    const snapshot = this.#snapshots.get(roomId);
    return [...(snapshot ? [snapshot] : []), ...(this.#logs.get(roomId) ?? [])];
  }

  async loadClients(roomId: string): Promise<Map<number, string>> {
    return new Map(this.#clients.get(roomId));
  }

  async append(roomId: string, update: Uint8Array, bindings: readonly ClientBinding[] = []): Promise<void> {
    let clients = this.#clients.get(roomId);
    if (!clients) this.#clients.set(roomId, (clients = new Map()));
    for (const { clientId, userId } of bindings) if (!clients.has(clientId)) clients.set(clientId, userId);
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
