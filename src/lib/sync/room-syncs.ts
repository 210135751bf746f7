import type { RoomSync } from './room-sync.svelte';

/** What the registry needs of a room: `RoomSync`, or anything shaped like it in a spec. */
export interface Leasable {
  setForeground(foreground: boolean): void;
  destroy(): void;
}

/** One holder's share of a room; `release()` once done (a second call does nothing). */
export interface RoomLease<S extends Leasable = RoomSync> {
  readonly sync: S;
  release(): void;
}

export interface LeaseOptions {
  /** The room is on screen: it keeps its message list and shows this user active. @default false */
  foreground?: boolean;
}

interface Entry<S> {
  sync: S;
  leases: number;
  foreground: number;
  /** What each watcher asked to run when this room closes. */
  closers: Map<RoomWatcher<S>, () => void>;
}

/** Told of a room that is open; returns what to run when it closes. */
export type RoomWatcher<S> = (roomId: string, sync: S) => () => void;

/**
 * The signed-in user's open rooms in this tab: at most one `RoomSync` per room (one Y.Doc,
 * one IndexedDB writer, one socket), shared by whoever needs the room (the room list, the
 * room page) through ref-counted leases. The room is in the foreground while any foreground
 * lease is held, and is destroyed with its last lease. Create one per signed-in user.
 */
export class RoomSyncs<S extends Leasable = RoomSync> {
  readonly #create: (roomId: string) => S;
  readonly #entries = new Map<string, Entry<S>>();
  readonly #watchers = new Set<RoomWatcher<S>>();

  /** `create` makes the room's sync the first time it is leased. */
  constructor(create: (roomId: string) => S) {
    this.#create = create;
  }

  /** How many rooms are open. */
  get size(): number {
    return this.#entries.size;
  }

  /** The room's sync, made on first use, shared with every other lease of the room. */
  lease(roomId: string, options: LeaseOptions = {}): RoomLease<S> {
    let entry = this.#entries.get(roomId);
    if (!entry) {
      entry = { sync: this.#create(roomId), leases: 0, foreground: 0, closers: new Map() };
      this.#entries.set(roomId, entry);
      for (const watcher of this.#watchers) entry.closers.set(watcher, watcher(roomId, entry.sync));
    }
    const held = entry;
    const foreground = options.foreground ?? false;
    held.leases++;
    if (foreground && ++held.foreground === 1) held.sync.setForeground(true);
    let released = false;
    return {
      sync: held.sync,
      release: () => {
        // After closeAll() the entry is gone: a late release must not touch a new one.
        if (released || this.#entries.get(roomId) !== held) return;
        released = true;
        if (foreground && --held.foreground === 0) held.sync.setForeground(false);
        if (--held.leases > 0) return;
        this.#entries.delete(roomId);
        RoomSyncs.#close(held);
      }
    };
  }

  /**
   * Calls `watcher` for every open room, now and whenever one opens (message search follows
   * every room this tab holds); what it returns runs when that room closes. Returns a function
   * that stops watching (and runs what is pending).
   */
  watch(watcher: RoomWatcher<S>): () => void {
    this.#watchers.add(watcher);
    for (const [roomId, entry] of this.#entries) entry.closers.set(watcher, watcher(roomId, entry.sync));
    return () => {
      if (!this.#watchers.delete(watcher)) return;
      for (const entry of this.#entries.values()) {
        entry.closers.get(watcher)?.();
        entry.closers.delete(watcher);
      }
    };
  }

  static #close<S extends Leasable>(entry: Entry<S>): void {
    for (const close of entry.closers.values()) close();
    entry.closers.clear();
    entry.sync.destroy();
  }

  /** Destroys every room at once, leased or not (sign-out, before the local copies are wiped). */
  closeAll(): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) RoomSyncs.#close(entry);
  }
}
