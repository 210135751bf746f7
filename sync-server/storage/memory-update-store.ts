import { mergeIntoSnapshot } from './merge';
import { StoredState, type EncodedState } from './stored-state';
import type { ClientBinding, UpdateStore } from './update-store';

/** An UpdateStore in memory: for tests and for measuring the server without a database. */
export class MemoryUpdateStore implements UpdateStore {
  #snapshots = new Map<string, { data: Uint8Array; state: EncodedState }>();
  #logs = new Map<string, Uint8Array[]>();
  #clients = new Map<string, Map<number, string>>();

  async load(roomId: string): Promise<Uint8Array[]> {
    const snapshot = this.#snapshots.get(roomId);
    return [...(snapshot ? [snapshot.data] : []), ...(this.#logs.get(roomId) ?? [])];
  }

  async loadState(roomId: string): Promise<StoredState> {
    const snapshot = this.#snapshots.get(roomId);
    const state = snapshot ? StoredState.decode(snapshot.state) : StoredState.empty();
    for (const update of this.#logs.get(roomId) ?? []) state.add(update);
    return state;
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
    const { snapshot, state } = mergeIntoSnapshot(all);
    this.#snapshots.set(roomId, { data: snapshot, state: state.encode() });
    this.#logs.set(roomId, []);
    return true;
  }

  async logSize(roomId: string): Promise<{ count: number; bytes: number }> {
    const log = this.#logs.get(roomId) ?? [];
    return { count: log.length, bytes: log.reduce((n, u) => n + u.byteLength, 0) };
  }
}
