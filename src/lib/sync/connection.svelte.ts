import type * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CloseCode, closeAction, type CloseReason } from '$lib/protocol/close-codes';
import { reconnectDelay, slowDownDelay } from './backoff';

/**
 * Where the room's connection stands. `offline`: the device has no network; `reconnecting`:
 * it has, but the server is not reachable yet. `closed` is final until `reconnect()`: see
 * `closedReason`.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'reconnecting' | 'closed';

export interface RoomConnectionOptions {
  serverUrl: string;
  roomId: string;
  doc: Y.Doc;
  /** Scopes the tabs' BroadcastChannel to this user. */
  userId: string;
}

/**
 * One room's socket and its reconnect policy: y-websocket's provider with our own backoff
 * (jittered, growing with the time spent disconnected), a slower one after "slow down"
 * (4429), final closes (the other 44xx) kept as `closedReason`, and a retry at once when
 * the network comes back or the tab is shown again. Connects as soon as it is created.
 */
export class RoomConnection {
  /** The provider; its awareness and message handlers are for the other parts of the room. */
  readonly provider: WebsocketProvider;
  #status = $state<ConnectionStatus>('connecting');
  #closedReason = $state.raw<CloseReason | null>(null);
  /** 4429 closes in a row (reset once synced): the wait grows with it, and the UI says so. */
  #slowDowns = $state(0);
  #destroyed = false;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the connection was lost (0 while connected): the backoff ceiling grows with it. */
  #disconnectedAt = 0;
  readonly #onVisibility = () => {
    if (document.visibilityState === 'visible') this.#retryNow();
  };
  readonly #onOnline = () => this.#retryNow();
  readonly #onOffline = () => {
    if (this.#status === 'closed') return;
    this.#status = 'offline';
    // A socket on a dead network can look open for minutes: drop it now, so nothing is
    // written into it and the UI tells the truth.
    this.provider.ws?.close();
  };

  constructor(options: RoomConnectionOptions) {
    // Every close comes back to us ('closed'): we decide between final and a jittered retry,
    // instead of y-websocket's fixed exponential schedule that makes a crowd reconnect in step.
    const provider = new WebsocketProvider(options.serverUrl, options.roomId, options.doc, { connect: false, shouldReconnect: () => false });
    this.provider = provider;
    // Tabs share a room over BroadcastChannel; scope it by user so two accounts signed in
    // one after the other in one browser never exchange changes (the server would refuse them).
    provider.bcChannel = `${provider.bcChannel}#${options.userId}`;

    provider.on('status', ({ status }) => {
      if (this.#status === 'closed' || this.#destroyed) return;
      if (status === 'connected') this.#status = 'connected';
      else if (status === 'disconnected') this.#status = navigator.onLine ? 'reconnecting' : 'offline';
    });
    provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      this.#disconnectedAt = 0;
      this.#slowDowns = 0;
    });
    provider.on('closed', (event) => this.#onClosed(event));

    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('online', this.#onOnline);
    window.addEventListener('offline', this.#onOffline);
    window.addEventListener('pageshow', this.#onOnline);

    if (navigator.onLine) provider.connect();
    else this.#status = 'offline';
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** Why the server closed the room for good; null unless `status` is 'closed'. */
  get closedReason(): CloseReason | null {
    return this.#closedReason;
  }

  /**
   * The server told this device to slow down more than once in a row (close 4429): it keeps
   * reconnecting, more and more slowly, and the UI should say why.
   */
  get slowedDown(): boolean {
    return this.#slowDowns >= 2 && this.#status !== 'connected';
  }

  /**
   * Whether changes made now will reach the server some day: not after a final close, except
   * an expired session (4401), whose changes wait for the next sign-in.
   */
  get takesChanges(): boolean {
    return !this.#destroyed && (this.#status !== 'closed' || this.#closedReason?.code === CloseCode.Unauthorized);
  }

  /** Connects again after a final close, e.g. once the user signed in again after a 4401. */
  reconnect(): void {
    if (this.#destroyed) return;
    this.#closedReason = null;
    this.#status = 'connecting';
    this.#disconnectedAt = 0;
    this.#retryNow();
  }

  /** Closes the socket; leaves no timers or listeners behind. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('online', this.#onOnline);
    window.removeEventListener('offline', this.#onOffline);
    window.removeEventListener('pageshow', this.#onOnline);
    this.provider.destroy();
  }

  #onClosed(event: { code: number; reason: string }): void {
    if (this.#destroyed) return;
    const action = closeAction(event.code);
    switch (action) {
      case 'slow-down':
        // Over a limit: retrying can help, but not at once.
        this.#slowDowns++;
        this.#status = navigator.onLine ? 'reconnecting' : 'offline';
        this.#scheduleRetry(slowDownDelay(this.#slowDowns));
        return;
      case 'final':
        // The server decided (no session, not a member, …): retrying cannot help.
        this.#closedReason = { code: event.code, reason: event.reason };
        this.#status = 'closed';
        return;
      case 'retry':
        this.#status = navigator.onLine ? 'reconnecting' : 'offline';
        this.#scheduleRetry();
        return;
      default:
        throw new Error(`unknown close action ${String(action satisfies never)}`);
    }
  }

  #scheduleRetry(delay?: number): void {
    if (this.#disconnectedAt === 0) this.#disconnectedAt = Date.now();
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    // No network: the 'online' event brings us back, no point in burning attempts.
    if (!navigator.onLine) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.provider.connect();
    }, delay ?? reconnectDelay(Date.now() - this.#disconnectedAt));
  }

  /** The network came back, the tab became visible or was restored: try now, not later. */
  #retryNow(): void {
    const provider = this.provider;
    if (this.#destroyed || this.#status === 'closed' || provider.wsconnected || provider.wsconnecting) return;
    if (!navigator.onLine) return;
    // The server asked for a pause (4429): coming back to the tab does not cut it short.
    if (this.#slowDowns > 0 && this.#retryTimer !== null) return;
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    if (this.#status === 'offline') this.#status = 'reconnecting';
    provider.connect();
  }
}
