import * as Y from 'yjs';
import { sendMessage } from '$lib/chat/messages';
import type { ChatMessage } from '$lib/chat/schema';
import { roomDatabaseName } from '$lib/client/local-cache';
import type { CloseReason } from '$lib/protocol/close-codes';
import { listenForAcks, restoreAcks, saveAcks, type AckStore } from './acks';
import { RoomConnection, type ConnectionStatus } from './connection.svelte';
import { AckTracker } from './delivery';
import { openLocalCopy, type LocalCopy } from './local-copy';
import { MessageLog, type RoomMessage } from './message-log.svelte';
import { RoomPresence } from './room-presence.svelte';
import type { Peer } from './presence';

export interface RoomSyncOptions {
  roomId: string;
  user: { id: string; username: string };
  /** WebSocket base URL. @default same origin + '/sync' */
  serverUrl?: string;
}

export type RoomSendResult = { ok: true; message: ChatMessage } | { ok: false; error: 'empty' | 'too-long' | 'not-ready' | 'closed' };

/**
 * The browser side of one room: a Y.Doc kept in IndexedDB (the local copy) and synced over
 * one socket (`RoomConnection`), with per-message delivery state from the server's durable
 * acks and the room's presence. Local history is shown before any network is touched.
 *
 * A room starts in the background (kept for the room list: no message list, this user
 * present but not active); `setForeground(true)` makes it the room on screen. Get one from
 * `RoomSyncs`, which keeps one per room for the whole tab.
 */
export class RoomSync {
  readonly roomId: string;
  #doc = new Y.Doc();
  #ready = $state(false);
  #localCopy = $state<LocalCopy['state'] | 'loading'>('loading');
  #connection = $state.raw<RoomConnection | null>(null);
  #presence = $state.raw<RoomPresence | null>(null);
  #foreground = false;
  readonly #user: { id: string; username: string };
  readonly #serverUrl: string;
  readonly #tracker = new AckTracker();
  readonly #log = new MessageLog(this.#tracker);
  #store: AckStore | null = null;
  #whenReady: ((doc: Y.Doc) => void)[] = [];
  #destroyed = false;

  constructor(options: RoomSyncOptions) {
    this.roomId = options.roomId;
    this.#user = options.user;
    this.#serverUrl = options.serverUrl ?? location.origin.replace(/^http/, 'ws') + '/sync';
    void this.#start();
  }

  /** The room document (replaced only while loading, if the local copy was damaged). */
  get doc(): Y.Doc {
    return this.#doc;
  }

  /**
   * This device's copy: 'unavailable' means nothing is kept here (private mode) and the room
   * works online only; 'recovered' means a damaged copy was rebuilt.
   */
  get localCopy(): LocalCopy['state'] | 'loading' {
    return this.#localCopy;
  }

  /** Messages in document order, with delivery state; kept only while in the foreground. */
  get messages(): RoomMessage[] {
    return this.#log.messages;
  }

  get status(): ConnectionStatus {
    return this.#connection?.status ?? 'connecting';
  }

  /** See `RoomConnection.slowedDown`. */
  get slowedDown(): boolean {
    return this.#connection?.slowedDown ?? false;
  }

  /** Why the server closed the room for good; null unless `status` is 'closed'. */
  get closedReason(): CloseReason | null {
    return this.#connection?.closedReason ?? null;
  }

  /** True once local history is loaded (sending is possible from then on, online or not). */
  get ready(): boolean {
    return this.#ready;
  }

  /** Other people with the room open right now (one entry per person). */
  get peers(): Peer[] {
    return this.#presence?.peers ?? [];
  }

  /** Where message `id` is in `messages` (document order), or -1. */
  positionOf(id: string): number {
    return this.#log.positionOf(id);
  }

  /**
   * Whether writing is possible: local history is loaded and the server has not closed the
   * room for good (an expired session still takes changes: they wait for the next sign-in).
   */
  get writable(): boolean {
    return !this.#destroyed && this.#ready && (this.#connection?.takesChanges ?? false);
  }

  /**
   * Runs `fn` with the doc once local history is loaded (at once if it is already); returns a
   * function that cancels it if it has not run yet.
   */
  onReady(fn: (doc: Y.Doc) => void): () => void {
    if (this.#ready) {
      fn(this.#doc);
      return () => {};
    }
    this.#whenReady.push(fn);
    return () => {
      this.#whenReady = this.#whenReady.filter((f) => f !== fn);
    };
  }

  /** Shows the room on screen (keeps the message list, this user active) or stops. */
  setForeground(foreground: boolean): void {
    if (this.#foreground === foreground || this.#destroyed) return;
    this.#foreground = foreground;
    this.#presence?.setForeground(foreground);
    if (!this.#ready) return;
    if (foreground) this.#log.follow(this.#doc);
    else this.#log.stop();
  }

  /** Appends a message (a reply to `replyTo`, or forwarded); it shows as pending until the server acks it. */
  send(text: string, { replyTo, forwarded }: { replyTo?: string | undefined; forwarded?: boolean } = {}): RoomSendResult {
    // An expired session (4401) still takes messages: they wait here until the user signs in.
    if (this.#destroyed || (this.#connection && !this.#connection.takesChanges)) return { ok: false, error: 'closed' };
    if (!this.#ready) return { ok: false, error: 'not-ready' };
    const result = sendMessage(this.doc, { author: this.#user.id, text, replyTo, forwarded });
    if (result.ok) this.setTyping(false);
    return result;
  }

  /** Tells the others whether this user is typing; clears itself after a few seconds. */
  setTyping(typing: boolean): void {
    this.#presence?.setTyping(typing);
  }

  /** Connects again after a final close, e.g. once the user signed in again after a 4401. */
  reconnect(): void {
    if (!this.#destroyed) this.#connection?.reconnect();
  }

  /** Disconnects and releases everything; leaves no timers or listeners behind. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#whenReady = [];
    this.#log.stop();
    this.#presence?.destroy();
    this.#connection?.destroy();
    // destroying the doc also closes the IndexedDB persistence (it listens for 'destroy')
    this.#doc.destroy();
  }

  async #start(): Promise<void> {
    const copy = await openLocalCopy(roomDatabaseName(this.#user.id, this.roomId), this.#doc, () => new Y.Doc());
    // A damaged copy's doc was dropped; the rebuilt one is the room from now on.
    this.#doc = copy.doc;
    this.#localCopy = copy.state;
    if (copy.state !== 'unavailable') {
      this.#store = copy.persistence;
      await restoreAcks(this.#tracker, copy.persistence);
    }
    if (this.#destroyed) {
      this.#doc.destroy();
      return;
    }
    if (this.#foreground) this.#log.follow(this.#doc);
    this.#ready = true;
    for (const fn of this.#whenReady.splice(0)) fn(this.#doc);
    const connection = new RoomConnection({ serverUrl: this.#serverUrl, roomId: this.roomId, doc: this.#doc, userId: this.#user.id });
    listenForAcks(connection.provider, this.#tracker, () => {
      this.#log.refreshDelivery();
      saveAcks(this.#tracker, this.#store);
    });
    this.#presence = new RoomPresence(connection.provider.awareness, this.#user, this.#foreground);
    this.#connection = connection;
  }
}
