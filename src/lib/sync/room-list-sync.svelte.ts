import { addedValues } from '$lib/chat/added-items';
import { SvelteMap } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { summarizeRoom, type RoomSummary } from '$lib/chat/room-summary';
import { roomTypes, type ChatMessage } from '$lib/chat/schema';
import type { ApiRoom } from '$lib/client/api';
import { localCache } from '$lib/client/local-cache';
import { CloseCode } from '$lib/protocol/close-codes';
import type { Peer } from './presence';
import type { RoomLease, RoomSyncs } from './room-syncs';

/** One row of the room list. */
export interface RoomEntry {
  room: ApiRoom;
  unread: number;
  last: RoomSummary['last'];
  /** When something last happened: the last message, else the room's creation. */
  activity: number;
  /** Others with the app open and connected to this room. */
  online: Peer[];
  /** True when the server closed this room for us (removed, deleted). */
  gone: boolean;
}

export interface RoomListSyncOptions {
  user: { id: string; username: string };
  /** The user's rooms in this tab: the list leases its live rooms there, in the background. */
  syncs: RoomSyncs;
  /** How many rooms are kept connected (the most recently active). @default 30 */
  maxLive?: number;
  /** Wait after a change before counting again. @default 80 */
  settleMs?: number;
  /**
   * Messages by others that arrived from the server while the room was live (not the ones
   * loaded from this device's copy); for notifications while Porch is hidden.
   */
  onmessages?: (room: ApiRoom, messages: ChatMessage[]) => void;
}

interface Live {
  lease: RoomLease;
  doc: Y.Doc | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** Stops what `#open` started: the wait for the doc, then the listeners on it. */
  stop: () => void;
}

/**
 * The signed-in user's rooms with live unread counts, last-message previews and presence.
 * The most recently active rooms (at most `maxLive`) are leased from `syncs` (opened from
 * this device's copies, IndexedDB, so counts work offline) and kept connected in the
 * background; the open room is the same `RoomSync` when it is one of them. The others show
 * what was counted last time. Create one per signed-in user; `destroy()` on sign-out.
 */
export class RoomListSync {
  #rooms = $state.raw<ApiRoom[]>([]);
  readonly #summaries = new SvelteMap<string, RoomSummary>();
  readonly #live = new SvelteMap<string, Live>();
  readonly #user: { id: string; username: string };
  readonly #syncs: RoomSyncs;
  readonly #maxLive: number;
  readonly #settleMs: number;
  readonly #onmessages: RoomListSyncOptions['onmessages'];
  #paused = false;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;

  readonly entries: RoomEntry[] = $derived.by(() =>
    this.#rooms
      .map((room): RoomEntry => {
        const summary = this.#summaries.get(room.id);
        const sync = this.#live.get(room.id)?.lease.sync;
        return {
          room,
          unread: summary?.unread ?? 0,
          last: summary?.last ?? null,
          activity: summary?.last?.ts ?? Date.parse(room.createdAt),
          online: sync?.peers ?? [],
          gone: sync?.status === 'closed' && sync.closedReason?.code !== CloseCode.Unauthorized
        };
      })
      .sort((a, b) => b.activity - a.activity)
  );

  readonly totalUnread: number = $derived(this.entries.reduce((sum, e) => sum + (e.gone ? 0 : e.unread), 0));

  constructor(options: RoomListSyncOptions) {
    this.#user = options.user;
    this.#syncs = options.syncs;
    this.#maxLive = options.maxLive ?? 30;
    this.#settleMs = options.settleMs ?? 80;
    this.#onmessages = options.onmessages;
    for (const [id, summary] of Object.entries(localCache.summaries(this.#user.id))) this.#summaries.set(id, summary);
  }

  /** The rooms to list (from the API, or this device's cache offline). */
  setRooms(rooms: ApiRoom[]): void {
    this.#rooms = rooms;
    this.#reconcile();
  }

  /**
   * Closes every connection of this user in this tab, the list's and any other room's (before
   * sign-out wipes the local copies, or a password change ends every session); `resume()`
   * reopens the list's.
   */
  pause(): void {
    this.#paused = true;
    if (this.#saveTimer !== null) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    this.#reconcile();
    this.#syncs.closeAll();
  }

  resume(): void {
    this.#paused = false;
    this.#reconcile();
  }

  destroy(): void {
    this.pause();
  }

  /** Opens the rooms that should be live and closes the rest. */
  #reconcile(): void {
    const activity = (room: ApiRoom) => this.#summaries.get(room.id)?.last?.ts ?? Date.parse(room.createdAt);
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- scratch set inside one call
    const wanted = new Set(
      this.#paused
        ? []
        : [...this.#rooms]
            .sort((a, b) => activity(b) - activity(a))
            .slice(0, this.#maxLive)
            .map((r) => r.id)
    );
    for (const [id, live] of this.#live) {
      if (wanted.has(id)) continue;
      this.#close(live);
      this.#live.delete(id);
    }
    for (const id of wanted) if (!this.#live.has(id)) this.#open(id);
  }

  #open(roomId: string): void {
    const lease = this.#syncs.lease(roomId);
    const live: Live = { lease, doc: null, timer: null, stop: () => {} };
    this.#live.set(roomId, live);
    // At once when the room is already open (the room page leased it first).
    const cancel = lease.sync.onReady((doc) => {
      live.doc = doc;
      const onUpdate = () => this.#soon(roomId, live);
      doc.on('update', onUpdate);
      const messages = roomTypes(doc).messages;
      const onMessages = (_event: unknown, transaction: Y.Transaction) => {
        // Remote only: this user's own sends are local transactions.
        if (transaction.local || !this.#onmessages) return;
        const room = this.#rooms.find((r) => r.id === roomId);
        // Not event.changes: Yjs walks the whole room to compute it.
        const added = addedValues(transaction, messages) as ChatMessage[];
        const news = added.filter((m) => m.author !== this.#user.id);
        if (room && news.length > 0) this.#onmessages(room, news);
      };
      messages.observe(onMessages);
      live.stop = () => {
        doc.off('update', onUpdate);
        messages.unobserve(onMessages);
      };
      this.#count(roomId, live);
    });
    if (!live.doc) live.stop = cancel;
  }

  #close(live: Live): void {
    if (live.timer !== null) clearTimeout(live.timer);
    live.timer = null;
    // The room may stay open for someone else (the room page): leave its doc as it was.
    live.stop();
    live.lease.release();
  }

  /** Counting walks the room's messages: once per burst of changes, not per change. */
  #soon(roomId: string, live: Live): void {
    if (live.timer !== null) return;
    live.timer = setTimeout(() => {
      live.timer = null;
      this.#count(roomId, live);
    }, this.#settleMs);
  }

  #count(roomId: string, live: Live): void {
    if (!live.doc || this.#live.get(roomId) !== live) return;
    const summary = summarizeRoom(live.doc, this.#user.id);
    const before = this.#summaries.get(roomId);
    if (before && JSON.stringify(before) === JSON.stringify(summary)) return;
    this.#summaries.set(roomId, summary);
    this.#save();
  }

  #save(): void {
    if (this.#saveTimer !== null) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      localCache.setSummaries(this.#user.id, Object.fromEntries(this.#summaries));
    }, 1000);
  }
}
