import type { WebSocket } from 'ws';
import { Close, type CloseReason } from '../../src/lib/protocol/close-codes';
import { encodeUserFrame, type UserFrame } from '../../src/lib/protocol/user-channel';
import type { Logger } from '../log';
import type { ConnectionUser } from '../room/connection';

type RoomList = Extract<UserFrame, { type: 'rooms' }>['rooms'];
type People = Extract<UserFrame, { type: 'people' }>['people'];

export interface UserChannelsDeps {
  log: Logger;
  /** The user's rooms as `GET /api/rooms` lists them. */
  rooms(userId: string): Promise<RoomList>;
  /** Everyone sharing a room with the user, with their profiles. */
  people(userId: string): Promise<People>;
}

/** One open user channel (SPEC 22). */
class UserSocket {
  alive = true;
  constructor(
    readonly socket: WebSocket,
    readonly user: ConnectionUser
  ) {}

  send(text: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(text);
  }

  close(reason: CloseReason): void {
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) this.socket.close(reason.code, reason.reason);
  }
}

/** Changes that arrive this close together become one fresh list per user. */
const COALESCE_MS = 25;

/**
 * The open user channels of this instance, by user. A change to someone's rooms (told here
 * by the API on this instance, or by another instance through Redis) sends each of their
 * sockets the whole list again, read from Postgres once per user however many changes came
 * within a few milliseconds.
 */
export class UserChannels {
  readonly #deps: UserChannelsDeps;
  readonly #byUser = new Map<string, Set<UserSocket>>();
  readonly #due = new Map<string, NodeJS.Timeout>();
  /** Lists being read, per user: a change during a read reads again after it. */
  readonly #reading = new Map<string, { again: boolean }>();

  constructor(deps: UserChannelsDeps) {
    this.#deps = deps;
  }

  get size(): number {
    let n = 0;
    for (const set of this.#byUser.values()) n += set.size;
    return n;
  }

  /**
   * A new socket: it gets the list at once (through the user's one read at a time, so an
   * older read cannot land after a newer one).
   */
  join(socket: WebSocket, user: ConnectionUser): UserSocket {
    const channel = new UserSocket(socket, user);
    let set = this.#byUser.get(user.id);
    if (!set) this.#byUser.set(user.id, (set = new Set()));
    set.add(channel);
    void this.#refresh(user.id);
    return channel;
  }

  leave(channel: UserSocket): void {
    const set = this.#byUser.get(channel.user.id);
    if (!set) return;
    set.delete(channel);
    if (set.size === 0) this.#byUser.delete(channel.user.id);
  }

  /** These users' rooms, or the people in them, changed (added, removed, renamed, deleted, a new profile). */
  roomsChanged(userIds: Iterable<string>): void {
    for (const id of userIds) {
      if (!this.#byUser.has(id) || this.#due.has(id)) continue;
      const timer = setTimeout(() => {
        this.#due.delete(id);
        void this.#refresh(id);
      }, COALESCE_MS);
      timer.unref();
      this.#due.set(id, timer);
    }
  }

  /** Closes a user's channels (every session ended: password change). */
  closeUser(userId: string, reason: CloseReason): void {
    for (const c of this.#byUser.get(userId) ?? []) c.close(reason);
  }

  /** Closes the channels one session opened (sign-out). */
  closeSession(sessionId: string, reason: CloseReason): void {
    for (const set of this.#byUser.values()) for (const c of set) if (c.user.sessionId === sessionId) c.close(reason);
  }

  ping(): void {
    for (const set of this.#byUser.values()) {
      for (const c of set) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }
  }

  closeAll(reason: CloseReason): void {
    for (const timer of this.#due.values()) clearTimeout(timer);
    this.#due.clear();
    for (const set of this.#byUser.values()) for (const c of set) c.close(reason);
  }

  async #refresh(userId: string): Promise<void> {
    const reading = this.#reading.get(userId);
    if (reading) {
      reading.again = true;
      return;
    }
    const state = { again: false };
    this.#reading.set(userId, state);
    try {
      do {
        state.again = false;
        await this.#sendList(userId, this.#byUser.get(userId) ?? []);
      } while (state.again);
    } finally {
      this.#reading.delete(userId);
    }
  }

  async #sendList(userId: string, to: Iterable<UserSocket>): Promise<void> {
    let texts: string[];
    try {
      const [rooms, people] = await Promise.all([this.#deps.rooms(userId), this.#deps.people(userId)]);
      texts = [encodeUserFrame({ type: 'rooms', rooms }), encodeUserFrame({ type: 'people', people })];
    } catch (err) {
      // The client keeps its last list; closing lets it reconnect and be sent a fresh one.
      this.#deps.log.error('could not read a room list', { user: userId, error: err });
      for (const c of to) c.close(Close.StorageError);
      return;
    }
    for (const c of to) for (const text of texts) c.send(text);
  }
}

export type { UserSocket };
