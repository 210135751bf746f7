import { CloseCode, closeAction } from '$lib/protocol/close-codes';
import { decodeUserFrame, USER_CHANNEL_PATH, type UserFrame } from '$lib/protocol/user-channel';
import { reconnectDelay, slowDownDelay } from './backoff';

export type UserChannelRooms = Extract<UserFrame, { type: 'rooms' }>['rooms'];

export interface UserChannelOptions {
  /** `ws(s)://host`; defaults to this page's origin. */
  serverUrl?: string;
  /** The user's whole room list, each time the server sends it. */
  onrooms: (rooms: UserChannelRooms) => void;
  /** Everyone the user shares a room with, with their profiles, each time the server sends it. */
  onpeople?: (people: Extract<UserFrame, { type: 'people' }>['people']) => void;
}

/**
 * This tab's user channel (SPEC 22): the server sends the signed-in user's room list on
 * connect and whenever it changes, so a room they were added to, renamed, left or deleted
 * shows at once. Reconnects like a room does (jittered backoff growing with the time
 * disconnected, slower after 4429, at once when the network or the tab comes back); a final
 * close (4401: the session ended) stops it until `reconnect()`.
 */
export class UserChannel {
  #connected = $state(false);
  #closedCode = $state<number | null>(null);
  readonly #url: string;
  readonly #onrooms: UserChannelOptions['onrooms'];
  readonly #onpeople: UserChannelOptions['onpeople'];
  #socket: WebSocket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #disconnectedAt = 0;
  #slowDowns = 0;
  #destroyed = false;
  readonly #retryNow = () => {
    if (document.visibilityState === 'hidden') return;
    // An ended session may have been renewed meanwhile (signed in again in another tab):
    // coming back to this one checks, once.
    if (this.#closedCode === CloseCode.Unauthorized) this.reconnect();
    else if (this.#timer !== null && this.#slowDowns === 0) this.#connectNow();
  };
  readonly #onOffline = () => this.#socket?.close();

  constructor(options: UserChannelOptions) {
    this.#url = (options.serverUrl ?? location.origin.replace(/^http/, 'ws')) + USER_CHANNEL_PATH;
    this.#onrooms = options.onrooms;
    this.#onpeople = options.onpeople;
    window.addEventListener('online', this.#retryNow);
    window.addEventListener('offline', this.#onOffline);
    document.addEventListener('visibilitychange', this.#retryNow);
    this.#connectNow();
  }

  /** A socket is open and the server has sent the list at least once on it. */
  get connected(): boolean {
    return this.#connected;
  }

  /** The final close code (4401 …), or null while it keeps trying. */
  get closedCode(): number | null {
    return this.#closedCode;
  }

  /** Tries again after a final close, e.g. once signed in again. */
  reconnect(): void {
    if (this.#destroyed || this.#socket) return;
    this.#closedCode = null;
    this.#connectNow();
  }

  destroy(): void {
    this.#destroyed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    window.removeEventListener('online', this.#retryNow);
    window.removeEventListener('offline', this.#onOffline);
    document.removeEventListener('visibilitychange', this.#retryNow);
    this.#socket?.close();
    this.#socket = null;
  }

  #connectNow(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#destroyed || this.#socket) return;
    // No network: the 'online' event brings us back.
    if (!navigator.onLine) {
      this.#timer = setTimeout(() => this.#connectNow(), 30_000);
      return;
    }
    const socket = new WebSocket(this.#url);
    this.#socket = socket;
    socket.onmessage = (event: MessageEvent) => {
      const frame = typeof event.data === 'string' ? decodeUserFrame(event.data) : null;
      // A frame this version does not know (a newer server) is skipped, not fatal.
      if (frame?.type === 'people') this.#onpeople?.(frame.people);
      if (frame?.type !== 'rooms') return;
      this.#connected = true;
      this.#disconnectedAt = 0;
      this.#slowDowns = 0;
      this.#onrooms(frame.rooms);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      this.#connected = false;
      if (this.#destroyed) return;
      if (this.#disconnectedAt === 0) this.#disconnectedAt = Date.now();
      const action = closeAction(event.code);
      switch (action) {
        case 'final':
          this.#closedCode = event.code;
          return;
        case 'slow-down':
          this.#slowDowns++;
          this.#timer = setTimeout(() => this.#connectNow(), slowDownDelay(this.#slowDowns));
          return;
        case 'retry':
          this.#timer = setTimeout(() => this.#connectNow(), reconnectDelay(Date.now() - this.#disconnectedAt));
          return;
        default:
          throw new Error(`unknown close action ${String(action satisfies never)}`);
      }
    };
  }
}
