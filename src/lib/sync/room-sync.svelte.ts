import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as bc from 'lib0/broadcastchannel';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { sendMessage } from '$lib/chat/messages';
import type { ChatMessage } from '$lib/chat/schema';
import { roomDatabaseName } from '$lib/client/local-cache';
import { reconnectDelay, slowDownDelay } from './backoff';
import { AckTracker } from './delivery';
import { openLocalCopy, type LocalCopy } from './local-copy';
import { MessageLog, type RoomMessage } from './message-log.svelte';
import { peersFromStates, userColor, type Peer } from './presence';

export { userColor, type Peer } from './presence';
export type { RoomMessage } from './message-log.svelte';

/** y-websocket message types this class reads (see sync-server/protocol.ts). */
const MESSAGE_SYNC = 0;
const SYNC_STEP_1 = 0;
const MESSAGE_ACK = 100;

/** Key of the acked clocks in the room's IndexedDB "custom" store. */
const ACKS_KEY = 'acks';

/** How long a "typing" flag lives without another keystroke. */
const TYPING_TIMEOUT_MS = 3000;

/**
 * Where the room's connection stands. `offline`: the device has no network; `reconnecting`:
 * it has, but the server is not reachable yet. `closed` is final until `reconnect()`: see
 * `closedReason`.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'reconnecting' | 'closed';


/** A close the server meant as final (4400-4499), e.g. 4403 "not a member". */
export interface CloseReason {
  code: number;
  reason: string;
}

/** Close codes the UI reacts to (ARCHITECTURE.md, "Sync protocol"). */
export const CloseCode = {
  Rejected: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  /** Over a limit (message rate, connections per user): not final; back off, then reconnect. */
  SlowDown: 4429
} as const;

export interface RoomSyncOptions {
  roomId: string;
  user: { id: string; username: string };
  /** WebSocket base URL. @default same origin + '/sync' */
  serverUrl?: string;
  /**
   * A room kept connected for the room list, not shown: no message list is kept, and
   * this user shows as present but not active. @default false
   */
  background?: boolean;
  /** Called once local history is loaded, with the doc from then on. */
  onready?: (doc: Y.Doc) => void;
}

export type RoomSendResult = { ok: true; message: ChatMessage } | { ok: false; error: 'empty' | 'too-long' | 'not-ready' | 'closed' };

/**
 * The browser side of one room: a Y.Doc kept in IndexedDB and synced over y-websocket,
 * with per-message delivery state from the server's durable acks. Local history is shown
 * before any network is touched. Create one per open room; call `destroy()` when leaving.
 */
export class RoomSync {
  readonly roomId: string;
  #doc = new Y.Doc();

  #status = $state<ConnectionStatus>('connecting');
  #closedReason = $state.raw<CloseReason | null>(null);
  /** 4429 closes in a row (reset once synced): the wait grows with it, and the UI says so. */
  #slowDowns = $state(0);
  #ready = $state(false);
  #peers = $state.raw<Peer[]>([]);
  #localCopy = $state<LocalCopy['state'] | 'loading'>('loading');

  readonly #user: { id: string; username: string };
  readonly #serverUrl: string;
  readonly #tracker = new AckTracker();
  readonly #log = new MessageLog(this.#tracker);
  #persistence: IndexeddbPersistence | null = null;
  #provider: WebsocketProvider | null = null;
  readonly #background: boolean;
  readonly #onready: ((doc: Y.Doc) => void) | undefined;
  #destroyed = false;
  #typingTimer: ReturnType<typeof setTimeout> | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the connection was lost (0 while connected): the backoff ceiling grows with it. */
  #disconnectedAt = 0;
  readonly #onVisibility = () => {
    const visible = document.visibilityState === 'visible';
    if (!this.#background) this.#setLocal({ active: visible });
    if (visible) this.#retryNow();
  };
  readonly #onOnline = () => this.#retryNow();
  readonly #onOffline = () => {
    if (this.#status === 'closed') return;
    this.#status = 'offline';
    // A socket on a dead network can look open for minutes: drop it now, so nothing is
    // written into it and the UI tells the truth.
    this.#provider?.ws?.close();
  };

  constructor(options: RoomSyncOptions) {
    this.roomId = options.roomId;
    this.#user = options.user;
    this.#serverUrl = options.serverUrl ?? location.origin.replace(/^http/, 'ws') + '/sync';
    this.#background = options.background ?? false;
    this.#onready = options.onready;
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

  /** Messages in document order, with delivery state. */
  get messages(): RoomMessage[] {
    return this.#log.messages;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /**
   * The server told this device to slow down more than once in a row (close 4429): it keeps
   * reconnecting, more and more slowly, and the UI should say why.
   */
  get slowedDown(): boolean {
    return this.#slowDowns >= 2 && this.#status !== 'connected';
  }

  /** Why the server closed the room for good; null unless `status` is 'closed'. */
  get closedReason(): CloseReason | null {
    return this.#closedReason;
  }

  /** True once local history is loaded (sending is possible from then on, online or not). */
  get ready(): boolean {
    return this.#ready;
  }

  /** Other people with the room open right now (one entry per person). */
  get peers(): Peer[] {
    return this.#peers;
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
    return !this.#destroyed && this.#ready && (this.#status !== 'closed' || this.#closedReason?.code === CloseCode.Unauthorized);
  }

  /** Appends a message; it shows as pending until the server acks it. */
  send(text: string, replyTo?: string): RoomSendResult {
    // An expired session (4401) still takes messages: they wait here until the user signs in.
    if (this.#destroyed || (this.#status === 'closed' && this.#closedReason?.code !== CloseCode.Unauthorized)) return { ok: false, error: 'closed' };
    if (!this.#ready) return { ok: false, error: 'not-ready' };
    const result = sendMessage(this.doc, { author: this.#user.id, text, replyTo });
    if (result.ok) this.setTyping(false);
    return result;
  }

  /** Tells the others whether this user is typing; clears itself after a few seconds. */
  setTyping(typing: boolean): void {
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = typing ? setTimeout(() => this.setTyping(false), TYPING_TIMEOUT_MS) : null;
    const current = this.#provider?.awareness.getLocalState() as { typing?: unknown } | null | undefined;
    if (current?.typing !== typing) this.#setLocal({ typing });
  }

  /** Connects again after a final close, e.g. once the user signed in again after a 4401. */
  reconnect(): void {
    if (this.#destroyed || !this.#provider) return;
    this.#closedReason = null;
    this.#status = 'connecting';
    this.#disconnectedAt = 0;
    this.#retryNow();
  }

  /** Disconnects and releases everything; leaves no timers or listeners behind. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#typingTimer !== null) clearTimeout(this.#typingTimer);
    this.#typingTimer = null;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.#onVisibility);
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.#onOnline);
      window.removeEventListener('offline', this.#onOffline);
      window.removeEventListener('pageshow', this.#onOnline);
    }
    this.#log.stop();
    this.#provider?.destroy();
    this.#provider = null;
    // destroying the doc also closes the IndexedDB persistence (it listens for 'destroy')
    this.doc.destroy();
  }

  async #start(): Promise<void> {
    const copy = await openLocalCopy(roomDatabaseName(this.#user.id, this.roomId), this.#doc, () => new Y.Doc());
    if (copy.doc !== this.#doc) {
      // The damaged copy's doc was dropped; observe the rebuilt one instead.
      this.#doc = copy.doc;
    }
    this.#localCopy = copy.state;
    if (copy.state !== 'unavailable') {
      this.#persistence = copy.persistence;
      try {
        this.#tracker.restore(JSON.parse(String((await copy.persistence.get(ACKS_KEY)) ?? '[]')));
      } catch {
        // unreadable saved acks: messages show as pending until the server's state vector
      }
    }
    if (this.#destroyed) {
      this.#doc.destroy();
      return;
    }
    if (!this.#background) this.#log.follow(this.#doc);
    this.#ready = true;
    this.#onready?.(this.#doc);
    this.#connect();
  }

  #connect(): void {
    // Every close comes back to us ('closed'): we decide between final and a jittered retry,
    // instead of y-websocket's fixed exponential schedule that makes a crowd reconnect in step.
    const provider = new WebsocketProvider(this.#serverUrl, this.roomId, this.doc, { connect: false, shouldReconnect: () => false });
    this.#provider = provider;
    // Tabs share a room over BroadcastChannel; scope it by user so two accounts signed in
    // one after the other in one browser never exchange changes (the server would refuse them).
    provider.bcChannel = `${provider.bcChannel}#${this.#user.id}`;

    provider.messageHandlers[MESSAGE_ACK] = (_encoder, decoder, _provider, fromSocket) => {
      const client = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      if (this.#tracker.markAcked(client, clock)) this.#onAcksMoved();
      // only the tab holding the socket hears the server; tell this room's other tabs too
      if (fromSocket) bc.publish(provider.bcChannel, encodeAck(client, clock), provider);
    };

    const handleSync = provider.messageHandlers[MESSAGE_SYNC];
    if (handleSync) {
      provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, fromSocket, messageType) => {
        // a sync step 1 from the server carries its durable state vector; one from another
        // tab (BroadcastChannel, fromSocket false) says nothing about the server
        if (fromSocket) this.#peekServerStateVector(decoder);
        handleSync(encoder, decoder, p, fromSocket, messageType);
      };
    }

    provider.on('status', ({ status }) => {
      if (this.#status === 'closed' || this.#destroyed) return;
      if (status === 'connected') this.#status = 'connected';
      else if (status === 'disconnected') this.#status = navigator.onLine ? 'reconnecting' : 'offline';
    });
    provider.on('sync', (synced: boolean) => {
      if (synced) {
        this.#disconnectedAt = 0;
        this.#slowDowns = 0;
      }
    });
    provider.on('closed', (event) => {
      if (this.#destroyed) return;
      if (event.code === CloseCode.SlowDown) {
        // Over a limit: retrying can help, but not at once.
        this.#slowDowns++;
        this.#status = navigator.onLine ? 'reconnecting' : 'offline';
        this.#scheduleRetry(slowDownDelay(this.#slowDowns));
        return;
      }
      if (event.code >= 4400 && event.code < 4500) {
        // The server decided (no session, not a member, …): retrying cannot help.
        this.#closedReason = { code: event.code, reason: event.reason };
        this.#status = 'closed';
        return;
      }
      this.#status = navigator.onLine ? 'reconnecting' : 'offline';
      this.#scheduleRetry();
    });

    provider.awareness.setLocalState({
      user: { id: this.#user.id, name: this.#user.username, color: userColor(this.#user.id) },
      typing: false,
      active: !this.#background && (typeof document === 'undefined' || document.visibilityState === 'visible')
    });
    provider.awareness.on('change', this.#onAwareness);
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('pageshow', this.#onOnline);

    if (navigator.onLine) provider.connect();
    else this.#status = 'offline';
  }

  #scheduleRetry(delay?: number): void {
    if (this.#disconnectedAt === 0) this.#disconnectedAt = Date.now();
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    // No network: the 'online' event brings us back, no point in burning attempts.
    if (!navigator.onLine) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#provider?.connect();
    }, delay ?? reconnectDelay(Date.now() - this.#disconnectedAt));
  }

  /** The network came back, the tab became visible or was restored: try now, not later. */
  #retryNow(): void {
    const provider = this.#provider;
    if (!provider || this.#destroyed || this.#status === 'closed' || provider.wsconnected || provider.wsconnecting) return;
    if (!navigator.onLine) return;
    // The server asked for a pause (4429): coming back to the tab does not cut it short.
    if (this.#slowDowns > 0 && this.#retryTimer !== null) return;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#status === 'offline') this.#status = 'reconnecting';
    provider.connect();
  }

  /** Reads a server sync step 1 without consuming the decoder the real handler gets. */
  #peekServerStateVector(decoder: decoding.Decoder): void {
    try {
      const peek = decoding.createDecoder(decoder.arr);
      peek.pos = decoder.pos;
      if (decoding.readVarUint(peek) !== SYNC_STEP_1) return;
      const sv = Y.decodeStateVector(decoding.readVarUint8Array(peek));
      if (this.#tracker.markStateVector(sv)) this.#onAcksMoved();
    } catch {
      // malformed frame: the real handler will fail on it the same way; nothing to add here
    }
  }

  readonly #onAwareness = () => {
    const provider = this.#provider;
    if (!provider) return;
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- scratch copy inside one call; `#peers` is the state
    const states = new Map(provider.awareness.getStates());
    states.delete(this.doc.clientID);
    this.#peers = peersFromStates(states, this.#user.id);
  };

  #setLocal(patch: Partial<{ typing: boolean; active: boolean }>): void {
    const awareness = this.#provider?.awareness;
    const current = awareness?.getLocalState();
    if (!awareness || !current) return;
    awareness.setLocalState({ ...current, ...patch });
  }

  #onAcksMoved(): void {
    this.#log.refreshDelivery();
    void this.#persistence?.set(ACKS_KEY, JSON.stringify(this.#tracker.toJSON())).catch(() => {
      // losing the saved acks only means "pending" until the next connection
    });
  }

}

function encodeAck(client: number, clock: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_ACK);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  return encoding.toUint8Array(encoder);
}
