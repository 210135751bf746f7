import type * as Y from 'yjs';
import type { ApiRoom } from '$lib/client/api';
import { localCache, roomDatabaseName } from '$lib/client/local-cache';
import type { RoomSyncs } from '$lib/sync/room-syncs';
import type { MessageIndex } from './message-index';
import type { RoomIndexer } from './room-indexer';
import { findMessages, type FoundMessages } from './found-messages';

export type { FoundMessage, FoundMessages } from './found-messages';

export interface MessageSearchOptions {
  user: { id: string; username: string };
  /** The tab's open rooms: search follows each one's doc while it is open. */
  syncs: RoomSyncs;
  /** Most results shown. @default 50 */
  limit?: number;
}

/** Index changes are shown at most this often (a room being indexed changes it every few ms). */
const REFRESH_MS = 150;

/**
 * Message search over every room on this device, offline. Nothing happens until `start()`
 * (the search field's first focus): it loads MiniSearch, follows the doc of every room the
 * tab holds open (`RoomSyncs.watch`; the room list keeps the active ones open), and reads the
 * other rooms' copies from IndexedDB once, one room at a time. What the user types is looked
 * up in memory, synchronously. Create one per signed-in user; `destroy()` on sign-out.
 */
export class MessageSearch {
  #status = $state<'idle' | 'indexing' | 'ready'>('idle');
  #version = $state(0);
  #rooms = $state.raw<ApiRoom[]>([]);
  #index: MessageIndex | null = null;
  #makeIndexer: ((roomId: string, doc: Y.Doc) => RoomIndexer) | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, never read by the UI
  readonly #followed = new Map<string, { doc: Y.Doc; indexer: RoomIndexer }>();
  readonly #user: { id: string; username: string };
  readonly #syncs: RoomSyncs;
  readonly #limit: number;
  #starting: Promise<void> | null = null;
  #unwatch: (() => void) | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #destroyed = false;

  constructor(options: MessageSearchOptions) {
    this.#user = options.user;
    this.#syncs = options.syncs;
    this.#limit = options.limit ?? 50;
  }

  /** 'indexing' while rooms are still being read; results may be missing some until 'ready'. */
  get status(): 'idle' | 'indexing' | 'ready' {
    return this.#status;
  }

  /** The user's rooms: results come only from these; a room left is taken out of the index. */
  setRooms(rooms: ApiRoom[]): void {
    for (const room of this.#rooms) {
      if (rooms.some((r) => r.id === room.id)) continue;
      this.#unfollow(room.id);
      this.#index?.removeRoom(room.id);
    }
    this.#rooms = rooms;
  }

  /** Builds the index (once; later calls return the same promise). */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /** The newest messages matching `query`; reactive (new messages, edits, indexing progress). */
  find(query: string): FoundMessages {
    void this.#version;
    const index = this.#index;
    if (!index || query.trim() === '') return { hits: [], total: 0, capped: false };
    const names = { me: this.#user.id, members: (roomId: string) => localCache.room(this.#user.id, roomId)?.members ?? [] };
    return findMessages(index, query, this.#rooms, { limit: this.#limit, names });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#unwatch?.();
    this.#unwatch = null;
    for (const id of [...this.#followed.keys()]) this.#unfollow(id);
    if (this.#refreshTimer !== null) clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    this.#index = null;
  }

  async #start(): Promise<void> {
    this.#status = 'indexing';
    // MiniSearch only comes down the wire once someone searches.
    const [{ MessageIndex }, { RoomIndexer, pageTurn }] = await Promise.all([import('./message-index'), import('./room-indexer')]);
    if (this.#destroyed) return;
    const index = new MessageIndex({ onchange: () => this.#changed() });
    this.#index = index;
    this.#makeIndexer = (roomId, doc) => new RoomIndexer(index, roomId, doc);
    this.#unwatch = this.#syncs.watch((roomId, sync) => {
      const cancel = sync.onReady((doc) => this.#follow(roomId, doc));
      return () => {
        cancel();
        this.#unfollow(roomId);
      };
    });
    await Promise.all([...this.#followed.values()].map((f) => f.indexer.ready));
    const { readStoredRoom } = await import('./stored-room');
    for (const room of this.#rooms) {
      if (this.#destroyed) return;
      if (this.#followed.has(room.id) || index.idsOf(room.id).size > 0) continue;
      const doc = await readStoredRoom(roomDatabaseName(this.#user.id, room.id));
      // Opened meanwhile, or left: the live doc (or nothing) is what counts.
      if (!doc || this.#destroyed || this.#followed.has(room.id) || !this.#rooms.some((r) => r.id === room.id)) {
        doc?.destroy();
        continue;
      }
      const indexer = new RoomIndexer(index, room.id, doc);
      await indexer.ready;
      indexer.stop();
      doc.destroy();
    }
    while (!this.#destroyed && !index.sortPending(8)) await pageTurn();
    if (this.#destroyed) return;
    this.#status = 'ready';
    this.#version++;
  }

  #follow(roomId: string, doc: Y.Doc): void {
    if (this.#followed.get(roomId)?.doc === doc || !this.#makeIndexer) return;
    this.#unfollow(roomId);
    this.#followed.set(roomId, { doc, indexer: this.#makeIndexer(roomId, doc) });
  }

  #unfollow(roomId: string): void {
    this.#followed.get(roomId)?.indexer.stop();
    this.#followed.delete(roomId);
  }

  #changed(): void {
    if (this.#refreshTimer !== null || this.#destroyed) return;
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#version++;
    }, REFRESH_MS);
  }
}
