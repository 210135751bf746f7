import type { IncomingMessage } from 'node:http';
import { newRoomEventId, type RoomEvent } from '../src/lib/chat/room-events';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RoomRole } from '../src/lib/chat/schema';
import { defaultLimits, type Limits } from './config';
import type { Logger } from './log';
import { Close, withReason, type CloseReason } from '../src/lib/protocol/close-codes';
import { MessageType } from '../src/lib/protocol/frames';
import { Connection, type ConnectionUser } from './room/connection';
import type { FanoutMessage, RedisFanout } from './fanout/redis-fanout';
import { Room, type RoomNotifier, type RoomOptions } from './room/room';
import { FrameLimiter } from './room/frame-limiter';
import type { UpdateStore } from './storage/update-store';
import type { ConnectionCounter } from './limits/connection-counter';
import { USER_CHANNEL_PATH } from '../src/lib/protocol/user-channel';
import { UserChannels, type UserChannelsDeps, type UserSocket } from './user-channel/user-channels';

/** May this user open this room, and as what. */
export type RoomAccess = { status: 'member'; role: RoomRole } | { status: 'not-found' } | { status: 'forbidden' };

/** What the sync server needs from the rest of Porch; nothing else. */
export interface SyncServerDeps {
  store: UpdateStore;
  log: Logger;
  /** The user behind an upgrade request (session cookie or Bearer token), or null. */
  authenticate(req: IncomingMessage): Promise<ConnectionUser | null>;
  access(roomId: string, userId: string): Promise<RoomAccess>;
  /**
   * Whether the upgrade's Origin may open a socket (Cross-Site WebSocket Hijacking: a page
   * elsewhere would otherwise ride the user's cookie). Absent: every origin may.
   */
  allowOrigin?(req: IncomingMessage): boolean;
  /** Other instances (REDIS_URL); null when this is the only one. */
  fanout?: RedisFanout | null;
  /** Push notifications for new messages; null or absent for none. */
  notifier?: RoomNotifier | null;
  /** Open connections per user (MAX_CONNECTIONS_PER_USER), on this instance or all of them. */
  connections: ConnectionCounter;
  /** The user's room list, for their user channel (SPEC 22). */
  userRooms: UserChannelsDeps['rooms'];
  /** The people the user shares rooms with, for their user channel. */
  userPeople: UserChannelsDeps['people'];
}

/** The sync server's settings; the limits among them come from config.ts (README, "Limits"). */
export interface SyncServerOptions extends RoomOptions {
  /** MAX_FRAME_BYTES: largest WebSocket message accepted; larger ones close the socket with 1009. */
  maxMessageBytes: Limits['maxFrameBytes'];
  /** A room with no connections is unloaded after this long. @default 30 s */
  roomIdleMs: number;
  /** Ping interval; a peer that missed one ping is dropped. @default 30 s */
  heartbeatMs: number;
  /** SYNC_RATE_BURST: messages a connection may send at once before the rate applies; over it, 4429. */
  rateBurst: Limits['rateBurst'];
  /** SYNC_RATE_PER_SECOND: messages per second a connection may keep sending, on average. */
  ratePerSecond: Limits['ratePerSecond'];
}

const defaultSyncOptions: SyncServerOptions = {
  maxMessageBytes: defaultLimits.maxFrameBytes,
  roomIdleMs: 30_000,
  heartbeatMs: 30_000,
  rateBurst: defaultLimits.rateBurst,
  ratePerSecond: defaultLimits.ratePerSecond,
  compactAfterUpdates: 500,
  compactAfterBytes: 1024 * 1024
};

const PATH = /^\/sync\/([A-Za-z0-9_-]{1,64})\/?$/;
/** What #accept is given for the user channel's path instead of a room id. */
const USER_CHANNEL = Symbol('user channel');

/**
 * A server socket with what the sync server keeps per connection as fields: one object and
 * shared listeners instead of closures per socket (a few hundred bytes each at 20,000).
 */
class SyncSocket extends WebSocket {
  server: SyncServer | null = null;
  limiter: FrameLimiter | null = null;
  /** Frames that came before the connection was bound to its room; null when none. */
  early: Uint8Array[] | null = null;
  conn: Connection | null = null;
  room: Room | null = null;
  /** Set when this socket is its user's channel (SPEC 22) rather than a room's. */
  channel: UserSocket | null = null;
  /** The user this socket counts against (MAX_CONNECTIONS_PER_USER), from authentication to close. */
  countedUser: string | null = null;
}

function refuse(ws: WebSocket, reason: CloseReason): void {
  ws.close(reason.code, reason.reason);
}

interface Slot {
  ready: Promise<Room>;
  room?: Room;
  idle?: NodeJS.Timeout;
}

/**
 * Accepts WebSocket upgrades on /sync/:roomId, authenticates them, and binds each to a
 * loaded Room. Refusals are close codes (4401/4403/4404) sent before any document data:
 * a browser cannot read the status of a refused HTTP upgrade.
 */
export class SyncServer {
  readonly #deps: SyncServerDeps;
  readonly #options: SyncServerOptions;
  readonly #wss: WebSocketServer;
  readonly #rooms = new Map<string, Slot>();
  readonly #connections = new Set<Connection>();
  readonly #userChannels: UserChannels;
  /** Frames handed to rooms, for /metrics and the protocol fuzzer. */
  #frames = 0;
  readonly #heartbeat: NodeJS.Timeout;
  #closing = false;
  /** Upgraded sockets not yet closed; close() waits for them. */
  #open = 0;
  #allClosed: (() => void) | null = null;

  constructor(deps: SyncServerDeps, options: Partial<SyncServerOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...defaultSyncOptions, ...options };
    this.#wss = new WebSocketServer({
      noServer: true,
      WebSocket: SyncSocket,
      // Sockets are counted here (#open), without ws's Set and close listener per socket.
      clientTracking: false,
      maxPayload: this.#options.maxMessageBytes,
      // Yjs updates compress poorly and deflate costs CPU per socket; broadcasts also rely
      // on frames going out uncompressed (room/framed.ts).
      perMessageDeflate: false
    });
    this.#userChannels = new UserChannels({ log: deps.log, rooms: deps.userRooms, people: deps.userPeople });
    this.#heartbeat = setInterval(() => {
      for (const c of this.#connections) c.ping();
      this.#userChannels.ping();
    }, this.#options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Counts for /metrics and tests. */
  get stats(): { connections: number; rooms: number; frames: number; userChannels: number } {
    return { connections: this.#connections.size, rooms: this.#rooms.size, frames: this.#frames, userChannels: this.#userChannels.size };
  }

  /** Takes an HTTP upgrade if it is for /sync/…; returns false otherwise. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const match = path === USER_CHANNEL_PATH ? ([path, USER_CHANNEL] as const) : PATH.exec(path);
    if (!match && !path.startsWith('/sync/')) return false;
    if (this.#closing) {
      socket.destroy();
      return true;
    }
    if (this.#deps.allowOrigin && !this.#deps.allowOrigin(req)) {
      // Refused before the upgrade: no socket, no document bytes, whatever the cookie.
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      void this.#accept(ws as SyncSocket, req, match ? match[1]! : null);
    });
    return true;
  }

  async #accept(ws: SyncSocket, req: IncomingMessage, roomId: string | typeof USER_CHANNEL | null): Promise<void> {
    ws.server = this;
    ws.limiter = new FrameLimiter(this.#options.rateBurst, this.#options.ratePerSecond);
    this.#open++;
    // Shared functions, not closures: per socket they cost a pointer, not a context each.
    ws.on('message', SyncServer.#onMessage);
    ws.on('error', SyncServer.#onError);
    ws.on('pong', SyncServer.#onPong);
    ws.on('close', SyncServer.#onClose);

    let user: ConnectionUser | null;
    let room: Room;
    let role: RoomRole;
    try {
      user = await this.#deps.authenticate(req);
      if (!user) return refuse(ws, Close.Unauthorized);
      if (!(await this.#countConnection(ws, user.id))) return refuse(ws, Close.TooManyConnections);
      if (!roomId) return refuse(ws, Close.NotFound);
      if (roomId === USER_CHANNEL) {
        if (this.#closing) return refuse(ws, Close.Restart);
        if (ws.readyState === ws.OPEN) ws.channel = this.#userChannels.join(ws, user);
        return;
      }
      const access = await this.#deps.access(roomId, user.id);
      switch (access.status) {
        case 'not-found':
          return refuse(ws, Close.NotFound);
        case 'forbidden':
          return refuse(ws, Close.Forbidden);
        case 'member':
          role = access.role;
          break;
        default:
          throw new Error(`unexpected access ${(access satisfies never) as string}`);
      }
      room = await this.#room(roomId);
    } catch (err) {
      this.#deps.log.error('could not open a connection', { room: roomId, error: err });
      return refuse(ws, Close.StorageError);
    }
    if (room.failed) return refuse(ws, Close.StorageError);
    // Closing: the rooms are going away, and close() waits for this socket too.
    if (this.#closing) return refuse(ws, Close.Restart);
    if (ws.readyState !== ws.OPEN) {
      this.#releaseIfIdle(room);
      return;
    }
    const conn = new Connection(ws, user, room.id, role, ws.limiter);
    this.#connections.add(conn);
    ws.conn = conn;
    ws.room = room;
    room.join(conn);
    const early = ws.early;
    ws.early = null;
    for (const frame of early ?? []) {
      if (ws.readyState !== ws.OPEN) break;
      this.#frames++;
      room.receive(conn, frame, true);
    }
  }

  // ws calls listeners on the socket, typed as its own WebSocket: ours is a SyncSocket.
  static #onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
    const ws = this as SyncSocket;
    // Once a close is under way (4400, 4429, …) nothing more from this socket counts:
    // frames queued behind a refused update must not be applied.
    if (ws.readyState !== ws.OPEN) return;
    const frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const conn = ws.conn;
    // Awareness frames are charged by the room, which knows whether they change anything.
    const charged = !conn || frame[0] !== MessageType.Awareness;
    if (charged && !ws.limiter!.take()) {
      ws.server!.#deps.log.warn('message rate exceeded', { room: conn?.roomId, conn: conn?.id, user: conn?.user.id });
      return refuse(ws, Close.SlowDown);
    }
    if (ws.channel) return refuse(ws, withReason(Close.BadMessage, 'The user channel takes no messages'));
    if (!isBinary) return refuse(ws, withReason(Close.BadMessage, 'Text frames are not part of the protocol'));
    if (!conn) {
      // Frames that arrive while we authenticate and load are kept, in order, and handled
      // once the connection is bound to its room.
      (ws.early ??= []).push(frame);
      return;
    }
    ws.server!.#frames++;
    ws.room!.receive(conn, frame);
  }

  static #onError(this: WebSocket, err: Error): void {
    (this as SyncSocket).server!.#deps.log.warn('socket error', { error: err });
  }

  static #onPong(this: WebSocket): void {
    const ws = this as SyncSocket;
    if (ws.conn) ws.conn.alive = true;
    if (ws.channel) ws.channel.alive = true;
  }

  static #onClose(this: WebSocket): void {
    const ws = this as SyncSocket;
    const server = ws.server!;
    if (ws.countedUser !== null) server.#uncountConnection(ws.countedUser);
    if (ws.channel) server.#userChannels.leave(ws.channel);
    const { conn, room } = ws;
    if (conn && room) {
      server.#connections.delete(conn);
      room.leave(conn);
      server.#releaseIfIdle(room);
    }
    if (--server.#open === 0) server.#allClosed?.();
  }

  /**
   * Counts an authenticated socket against its user's limit until it closes; false (and
   * not counted) when the user already has the most allowed.
   */
  async #countConnection(ws: SyncSocket, userId: string): Promise<boolean> {
    if (!(await this.#deps.connections.acquire(userId))) {
      this.#deps.log.warn('too many connections', { user: userId });
      return false;
    }
    // Closed already (or while the place was being taken): its close found nothing to give back.
    if (ws.readyState === ws.CLOSED) {
      this.#deps.connections.release(userId);
      return true;
    }
    ws.countedUser = userId;
    return true;
  }

  #uncountConnection(userId: string): void {
    this.#deps.connections.release(userId);
  }

  /** The loaded room, loading it once however many connections ask at the same time. */
  async #room(roomId: string): Promise<Room> {
    let slot = this.#rooms.get(roomId);
    if (!slot) {
      const ready = this.#load(roomId);
      slot = { ready };
      this.#rooms.set(roomId, slot);
      const current = slot;
      ready.then(
        (room) => {
          current.room = room;
        },
        () => {
          if (this.#rooms.get(roomId) === current) this.#rooms.delete(roomId);
        }
      );
    }
    if (slot.idle) {
      clearTimeout(slot.idle);
      delete slot.idle;
    }
    return slot.ready;
  }

  /**
   * Loads a room. With other instances, subscribe first and load second, keeping what
   * arrives meanwhile: anything published after the subscription is received, anything
   * before it is in Postgres (instances publish only what they stored).
   */
  async #load(roomId: string): Promise<Room> {
    const fanout = this.#deps.fanout ?? null;
    const deps = { store: this.#deps.store, log: this.#deps.log, fanout, notifier: this.#deps.notifier ?? null, onFailed: (failed: Room) => this.#drop(failed) };
    if (!fanout) return Room.load(roomId, deps, this.#options);
    let room: Room | null = null;
    const early: FanoutMessage[] = [];
    const deliver = (message: FanoutMessage, to: Room) => {
      if (message.kind === 'update') to.applyRemoteUpdate(message.update, message.writerId);
      else to.applyRemoteAwareness(message.update);
    };
    await fanout.subscribe(roomId, (message) => (room ? deliver(message, room) : early.push(message)));
    try {
      const loaded = await Room.load(roomId, deps, this.#options);
      for (const message of early) deliver(message, loaded);
      room = loaded;
      return loaded;
    } catch (err) {
      fanout.unsubscribe(roomId);
      throw err;
    }
  }

  #releaseIfIdle(room: Room): void {
    const slot = this.#rooms.get(room.id);
    if (!slot || slot.room !== room || room.connections.size > 0 || slot.idle) return;
    slot.idle = setTimeout(() => {
      delete slot.idle;
      if (room.connections.size > 0) return;
      // Unload only after its writes settled, so a reload reads everything.
      void this.#deps.store.flush().then(() => {
        if (room.connections.size === 0 && this.#rooms.get(room.id) === slot && !slot.idle) this.#drop(room);
      });
    }, this.#options.roomIdleMs);
    slot.idle.unref();
  }

  #drop(room: Room): void {
    const slot = this.#rooms.get(room.id);
    if (slot?.room === room || slot?.room === undefined) {
      if (slot?.idle) clearTimeout(slot.idle);
      this.#rooms.delete(room.id);
      this.#deps.fanout?.unsubscribe(room.id);
    }
    room.destroy();
  }

  /** A member was removed: their connections to the room end now, with 4403. */
  memberRemoved(roomId: string, userId: string): void {
    for (const c of this.#connections) if (c.roomId === roomId && c.user.id === userId) c.close(Close.Forbidden);
  }

  /** A member's role changed: their connections to the room reconnect (4000) and act with the new one. */
  roleChanged(roomId: string, userId: string): void {
    for (const c of this.#connections) if (c.roomId === roomId && c.user.id === userId) c.close(Close.RoleChanged);
  }

  /** All of a user's sessions ended (password change): their sockets close with 4401. */
  sessionsEnded(userId: string): void {
    for (const c of this.#connections) if (c.user.id === userId) c.close(Close.Unauthorized);
    this.#userChannels.closeUser(userId, Close.Unauthorized);
  }

  /** One session ended (sign-out): the sockets it opened close with 4401. */
  sessionEnded(sessionId: string): void {
    for (const c of this.#connections) if (c.user.sessionId === sessionId) c.close(Close.Unauthorized);
    this.#userChannels.closeSession(sessionId, Close.Unauthorized);
  }

  /** These users' room lists changed: their user channels on this instance get them again (SPEC 22). */
  roomsChanged(userIds: Iterable<string>): void {
    this.#userChannels.roomsChanged(userIds);
  }

  /** A room was deleted: everyone in it is closed with 4404 and it is forgotten. */
  roomDeleted(roomId: string): void {
    for (const c of this.#connections) if (c.roomId === roomId) c.close(Close.NotFound);
    const slot = this.#rooms.get(roomId);
    if (slot?.room) this.#drop(slot.room);
  }

  /**
   * SPEC 7.9: records a room event in the room's document, loading the room if no one has it
   * open here; resolves once stored and sent to its connections and other instances.
   */
  async recordRoomEvent(roomId: string, event: RoomEvent): Promise<void> {
    if (this.#closing) throw new Error('The sync server is closing');
    const room = await this.#room(roomId);
    try {
      await room.recordEvent(newRoomEventId(event.ts), event);
    } finally {
      this.#releaseIfIdle(room);
    }
  }

  /** Removes every message `userId` wrote in the room (account deletion with erasure); resolves once stored. */
  async eraseMessagesOf(roomId: string, userId: string): Promise<void> {
    if (this.#closing) throw new Error('The sync server is closing');
    const room = await this.#room(roomId);
    try {
      await room.eraseMessagesOf(userId);
    } finally {
      this.#releaseIfIdle(room);
    }
  }

  /** Stops accepting, lets pending writes finish, closes every socket with 1012. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    // Writes in flight finish (and are acked) first; whatever arrives meanwhile is
    // stored by the second flush once the sockets are closed.
    await this.#deps.store.flush();
    for (const c of this.#connections) c.close(Close.Restart);
    this.#userChannels.closeAll(Close.Restart);
    await this.#deps.store.flush();
    for (const slot of this.#rooms.values()) {
      if (slot.idle) clearTimeout(slot.idle);
      slot.room?.destroy();
    }
    this.#rooms.clear();
    if (this.#open > 0) await new Promise<void>((resolve) => (this.#allClosed = resolve));
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
