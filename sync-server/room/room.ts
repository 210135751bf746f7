import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { addedValues } from '../../src/lib/chat/added-items';
import { roomTypes } from '../../src/lib/chat/schema';
import { judgeUpdate } from '../../src/lib/chat/write-rules';
import type { Logger } from '../log';
import { Close, MessageType, withReason } from '../protocol';
import type { ClientBinding, UpdateStore } from '../storage/update-store';
import { decodeAwareness, encodeAwareness, filterAwareness } from './awareness-filter';
import { checkUpdate } from './check-update';
import { DocOnDemand, syncStep1Frame, syncStep2Frame, type DocHost, type RemoteUpdate } from './doc-on-demand';
import { frameBinary } from './framed';
import { activeUsers } from '../push/active-users';
import type { ChatMessage } from '../../src/lib/chat/schema';
import type { Connection } from './connection';

export interface RoomOptions {
  /** Compact the log into the snapshot after this many updates. @default 500 */
  compactAfterUpdates: number;
  /** ... or after this many bytes of updates. @default 1 MiB */
  compactAfterBytes: number;
}

/**
 * The other server instances holding this room (Redis pub/sub), or nobody. Only stored
 * changes are published; awareness goes out as it comes.
 */
export interface RoomFanout {
  publishUpdate(roomId: string, update: Uint8Array, writerId: string): void;
  publishAwareness(roomId: string, update: Uint8Array): void;
}

/** Who hears about new messages once they are durable (Web Push); null for nobody. */
export interface RoomNotifier {
  /** `active`: users with a visible Porch on this room (awareness `active: true`). */
  messagesStored(roomId: string, messages: ChatMessage[], author: { id: string; username: string }, active: ReadonlySet<string>): void;
  /** False when it knows nobody in the room can be notified (the room skips finding new messages). */
  mayNotify(roomId: string): boolean;
}

/** What a Room needs from its server. */
export interface RoomDeps {
  store: UpdateStore;
  log: Logger;
  fanout: RoomFanout | null;
  notifier?: RoomNotifier | null;
  /** Called once when a write failed and the room must be dropped. */
  onFailed: (room: Room) => void;
}

/** Origin of changes that another instance already judged and stored. */
const REMOTE = 'remote';

/** What a room's doc is built from, and how long reading it took. */
interface StoredRoom {
  updates: Uint8Array[];
  size: { count: number; bytes: number };
  clients: Map<number, string>;
  readMs: number;
}

/** Why an update from a connection is refused: the close reason it gets. */
export type UpdateVerdict = { ok: true } | { ok: false; reason: string };

/**
 * One room in memory: its Y.Doc (built from the store once a client needs its content; until
 * then the room answers from the stored state: doc-on-demand.ts), its awareness, its
 * connections. Accepted updates are applied, appended to the store, and
 * once durable forwarded to the other connections (and instances) and acknowledged to
 * their sender. A storage failure fails the whole room: its connections are closed and it is
 * reloaded from the store on the next connection, so nothing unacknowledged is trusted.
 */
export class Room {
  readonly id: string;
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  readonly #store: UpdateStore;
  readonly #options: RoomOptions;
  readonly #log: Logger;
  readonly #onFailed: (room: Room) => void;
  readonly #fanout: RoomFanout | null;
  readonly #notifier: RoomNotifier | null;
  #logCount = 0;
  #logBytes = 0;
  #compacting = false;
  #failed = false;
  #destroyed = false;
  /** Until the doc is built: answers from the stored state, keeps what needs the doc. */
  #onDemand: DocOnDemand<StoredRoom> | null = null;
  readonly #docHost: DocHost<StoredRoom> = {
    read: () => this.#readStored(),
    build: (stored, remote) => this.#build(stored, remote),
    receive: (conn, frame, prepaid) => this.receive(conn, frame, prepaid),
    acknowledge: (conn, ends) => this.#acknowledge(conn, ends),
    slowDown: (conn) => this.#slowDown(conn),
    fail: (err) => {
      // A room dropped while its doc was read (deleted, shut down) has nobody to tell.
      if (!this.#destroyed) this.#fail(err, 'loading the room failed; closing it');
    },
    built: () => {
      this.#onDemand = null;
    }
  };
  /** The store write of the update being applied right now (set by the doc's update handler). */
  #lastWrite: Promise<void> | null = null;
  /** Yjs clientID -> the user it is bound to (SPEC 7.1); loaded with the room. */
  #clients = new Map<number, string>();
  /**
   * Message id -> author, kept as messages arrive, for the write rules: without it they
   * scanned the whole room on every update (12 % of busy time in the fan-out profile).
   */
  readonly #authors = new Map<string, string>();
  /** The whole document encoded, for clients that have nothing yet; dropped on any change. */
  #fullState: Uint8Array | null = null;
  /** Stored updates waiting for this tick's forward (#forward). */
  #outbox: { update: Uint8Array; from: Connection }[] = [];
  /**
   * Messages the transaction being applied added, noted by the messages observer (which
   * runs before the doc's update event, and before Yjs merges the new items into older
   * ones); taken by #onDocUpdate for push.
   */
  #addedMessages: ChatMessage[] = [];
  /** Bindings the update being applied introduces; stored with it. */
  #newBindings: ClientBinding[] = [];

  private constructor(id: string, deps: RoomDeps, options: RoomOptions) {
    this.id = id;
    this.#store = deps.store;
    this.#options = options;
    this.#log = deps.log;
    this.#onFailed = deps.onFailed;
    this.#fanout = deps.fanout;
    this.#notifier = deps.notifier ?? null;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server is not a participant: no presence of its own.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.#onAwarenessUpdate);
  }

  /**
   * Starts listening once the stored state is in: with an update listener Yjs encodes every
   * transaction's update, and the load would be encoded once more for nothing.
   */
  #listen(): void {
    const messages = roomTypes(this.doc).messages;
    for (const value of messages.toArray()) this.#noteAuthor(value);
    messages.observe((_event, transaction) => {
      const added = addedValues(transaction, messages);
      for (const value of added) this.#noteAuthor(value);
      this.#addedMessages = added as ChatMessage[];
    });
    this.doc.on('update', this.#onDocUpdate);
  }

  /**
   * Opens a room from its stored state (state vector and deletions, SPEC 3); its doc is
   * built when a client needs the content.
   */
  static async load(id: string, deps: RoomDeps, options: RoomOptions): Promise<Room> {
    const room = new Room(id, deps, options);
    const started = performance.now();
    room.#onDemand = new DocOnDemand(await deps.store.loadState(id), room.#docHost);
    deps.log.info('room loaded', { room: id, readMs: Math.round(performance.now() - started) });
    return room;
  }

  async #readStored(): Promise<StoredRoom> {
    const store = this.#store;
    const started = performance.now();
    const [updates, size, clients] = await Promise.all([store.load(this.id), store.logSize(this.id), store.loadClients(this.id)]);
    return { updates, size, clients, readMs: performance.now() - started };
  }

  /** Builds the doc from the store, and from what other instances sent during the read. */
  #build({ updates, size, clients, readMs }: StoredRoom, remote: RemoteUpdate[]): void {
    if (this.#destroyed) return;
    const started = performance.now();
    this.#clients = clients;
    for (const { update, writerId } of remote) this.#bindRemote(update, writerId);
    // What the read already had is a no-op the second time.
    this.doc.transact(() => {
      for (const u of updates) Y.applyUpdate(this.doc, u, 'store');
      for (const { update } of remote) Y.applyUpdate(this.doc, update, 'store');
    }, 'store');
    const applied = performance.now();
    this.#listen();
    this.#logCount = size.count;
    this.#logBytes = size.bytes;
    // A compacted room is one snapshot: already the whole document, as new clients need it.
    if (updates.length === 1 && remote.length === 0) this.#fullState = updates[0]!;
    const bytes = updates.reduce((n, u) => n + u.byteLength, 0);
    this.#log.info('room built', {
      room: this.id,
      updates: updates.length,
      bytes,
      readMs: Math.round(readMs),
      applyMs: Math.round(applied - started),
      indexMs: Math.round(performance.now() - applied)
    });
  }

  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Greets a new connection with everyone's presence and the server's state vector. The
   * state vector goes out once the writes in flight are stored: a client may take it as
   * "the server has all of this durably".
   */
  join(conn: Connection): void {
    this.connections.add(conn);
    const states = this.awareness.getStates();
    if (states.size > 0) {
      conn.send(this.#awarenessFrame([...states.keys()]));
      conn.limiter.grantEcho();
    }
    // Encoded now: it then names only what the writes in flight now hold, stored by the send.
    this.#sendOnceStored(conn, syncStep1Frame(this.#onDemand ? this.#onDemand.stateVector : Y.encodeStateVector(this.doc)));
  }

  leave(conn: Connection): void {
    conn.beforeStep2.dispose();
    this.#onDemand?.forget(conn);
    if (!this.connections.delete(conn)) return;
    if (conn.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], conn);
    }
  }

  /**
   * Handles one frame from a connection; a bad frame closes it with 4400. `prepaid`: the
   * frame was charged to the connection's rate limit already (it arrived before the room
   * was loaded); otherwise awareness frames are charged here (SPEC 11).
   */
  receive(conn: Connection, frame: Uint8Array, prepaid = false): void {
    if (this.#failed) return;
    if (this.#onDemand?.intercept(conn, frame, prepaid)) return;
    try {
      const decoder = decoding.createDecoder(frame);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MessageType.Sync:
          this.#receiveSync(conn, decoder);
          break;
        case MessageType.Awareness:
          this.#receiveAwareness(conn, readLastPayload(decoder), prepaid);
          break;
        case MessageType.QueryAwareness:
          conn.send(this.#awarenessFrame([...this.awareness.getStates().keys()]));
          conn.limiter.grantEcho();
          break;
        case MessageType.Auth:
          // Clients have nothing to say here; authorisation happened at connect.
          break;
        default:
          conn.close(withReason(Close.BadMessage, `Unknown message type ${type}`));
      }
    } catch (err) {
      this.#log.warn('bad frame', { room: this.id, conn: conn.id, user: conn.user.id, error: err });
      conn.close(withReason(Close.BadMessage, 'Malformed message'));
    }
  }

  #receiveSync(conn: Connection, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder);
    switch (kind) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = readLastPayload(decoder);
        // A client with nothing (a new device, the first visit) gets the whole room: encoded
        // once until the room changes, not once per client.
        const empty = stateVector.byteLength === 1 && stateVector[0] === 0;
        const update = empty ? (this.#fullState ??= Y.encodeStateAsUpdate(this.doc)) : Y.encodeStateAsUpdate(this.doc, stateVector);
        // Sent once what it holds is stored, as forwards are (SPEC 8): a client given a change
        // the server then loses in a crash would resend it on its next connect, as another
        // user's clientID, and be refused as a forgery (4400).
        this.#sendOnceStored(conn, syncStep2Frame(update));
        break;
      }
      case syncProtocol.messageYjsSyncStep2: {
        const update = readLastPayload(decoder);
        const waiting = conn.beforeStep2.arrive();
        this.#receiveUpdate(conn, update);
        for (const early of waiting) {
          if (!conn.open) break;
          this.#receiveUpdate(conn, early);
        }
        break;
      }
      case syncProtocol.messageYjsUpdate:
        this.#receiveUpdate(conn, readLastPayload(decoder));
        break;
      default:
        conn.close(withReason(Close.BadMessage, `Unknown sync message ${kind}`));
    }
  }

  #receiveUpdate(conn: Connection, update: Uint8Array): void {
    const early = conn.beforeStep2;
    if (early.holding) return this.#hold(conn, update, 'Update depends on changes the server does not have');
    const check = checkUpdate(this.doc, update);
    if (!check.ok) {
      if (check.missing && early.mayHold) return this.#hold(conn, update, check.reason);
      return this.#reject(conn, check.reason);
    }
    // SPEC 7: judged before anything is applied, stored or forwarded.
    const writer = { userId: conn.user.id, role: conn.role };
    const verdict = judgeUpdate(this.doc, check.decoded, writer, (client) => this.#clients.get(client), { authors: this.#authors });
    if (!verdict.ok) return this.#reject(conn, verdict.reason);
    // Bound in memory at once, so nobody else can take these clientIDs meanwhile; stored
    // in the same commit as the update, before its ack.
    this.#newBindings = verdict.newClients.map((clientId) => ({ clientId, userId: writer.userId }));
    for (const { clientId, userId } of this.#newBindings) this.#clients.set(clientId, userId);
    this.#lastWrite = null;
    try {
      if (!check.empty) Y.applyUpdate(this.doc, update, conn);
      // Not taken by #onDocUpdate (the doc did not change after all): stored with the update anyway.
      if (this.#newBindings.length > 0) this.#storeWrite(this.#store.append(this.id, update, this.#newBindings), update.byteLength);
    } finally {
      this.#newBindings = [];
    }
    // Nothing new (a resend after reconnect): the ack waits for whatever is still in flight.
    const durable = this.#lastWrite ?? this.#store.flush();
    this.#lastWrite = null;
    this.#acknowledge(conn, check.ends, durable);
  }

  /** Keeps an update that may build on the connection's step 2 until it comes (SPEC 5.1). */
  #hold(conn: Connection, update: Uint8Array, reason: string): void {
    const held = conn.beforeStep2.hold(update, () => {
      if (conn.open) this.#reject(conn, `${reason} (no sync step 2 came)`);
    });
    if (!held) this.#reject(conn, 'Too many updates before sync step 2');
  }

  /** SPEC 7.8: 4400 with the reason; logged with ids, never content. */
  #reject(conn: Connection, reason: string): void {
    this.#log.warn('update rejected', { room: this.id, conn: conn.id, user: conn.user.id, reason });
    conn.close(withReason(Close.BadMessage, reason));
  }

  #receiveAwareness(conn: Connection, update: Uint8Array, prepaid: boolean): void {
    const entries = filterAwareness(decodeAwareness(update), conn.user.id, (clientId) => {
      for (const other of this.connections) if (other !== conn && other.awarenessIds.has(clientId)) return true;
      return false;
    }).filter((e) => this.#changesAwareness(e.clientId, e.clock, e.json));
    // An echo of what the server sent (y-websocket clients send back every change they get)
    // changes nothing and is paid by echo credit, not by the message rate.
    if (!prepaid && !conn.limiter.takeAwareness(entries.length > 0)) return this.#slowDown(conn);
    if (entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwareness(entries), conn);
  }

  #slowDown(conn: Connection): void {
    this.#log.warn('message rate exceeded', { room: this.id, conn: conn.id, user: conn.user.id });
    conn.close(Close.SlowDown);
  }

  /**
   * SPEC 9: acks `ends` once `durable` settles (by default, once the writes in flight are
   * stored: an update with nothing new).
   */
  #acknowledge(conn: Connection, ends: Map<number, number>, durable: Promise<void> = this.#store.flush()): void {
    for (const [client, clock] of ends) this.#sendOnceStored(conn, encodeAck(client, clock), durable);
  }

  /**
   * Sends `frame` once `stored` settles (by default, once the writes in flight now are
   * stored), unless the connection has left by then.
   */
  #sendOnceStored(conn: Connection, frame: Uint8Array, stored: Promise<void> = this.#store.flush()): void {
    stored.then(
      () => {
        if (this.connections.has(conn)) conn.send(frame);
      },
      () => {
        /* a failed write fails the room, which closes this connection */
      }
    );
  }

  /** Whether an awareness entry would change the room's awareness (y-protocols' own test). */
  #changesAwareness(clientId: number, clock: number, json: string): boolean {
    const known = this.awareness.meta.get(clientId)?.clock;
    if (known === undefined || known < clock) return true;
    return known === clock && json === 'null' && this.awareness.states.has(clientId);
  }

  /**
   * A change another instance judged, stored and published: applied and forwarded to this
   * instance's connections, not stored again. New clientIDs in it are bound to its writer.
   */
  applyRemoteUpdate(update: Uint8Array, writerId: string): void {
    if (this.#failed) return;
    if (this.#onDemand) {
      // No doc yet: the clients here were answered from the stored state, which now holds
      // this too; the doc, when built, reads it from the store (or gets it from `remote`).
      this.#onDemand.remote({ update, writerId });
      const frame = frameBinary(encodeUpdateFrame(update));
      for (const c of this.connections) c.sendFramed(frame);
      return;
    }
    this.#bindRemote(update, writerId);
    Y.applyUpdate(this.doc, update, REMOTE);
  }

  #bindRemote(update: Uint8Array, writerId: string): void {
    for (const client of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update)).keys()) {
      if (!this.#clients.has(client)) this.#clients.set(client, writerId);
    }
  }

  /** Presence from another instance's connections. */
  applyRemoteAwareness(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
  }

  #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.#fullState = null;
    const addedMessages = this.#addedMessages;
    this.#addedMessages = [];
    if (origin === REMOTE) {
      const frame = frameBinary(encodeUpdateFrame(update));
      for (const c of this.connections) c.sendFramed(frame);
      return;
    }
    const writer = (origin as Connection).user;
    const writerId = writer.id;
    // Sent once durable.
    const added = addedMessages.length > 0 && this.#notifier?.mayNotify(this.id) ? addedMessages : [];
    const write = this.#store.append(this.id, update, this.#newBindings);
    this.#newBindings = [];
    this.#storeWrite(write, update.byteLength);
    // Forwarded only once stored (SPEC 8): a change that was never stored must not reach
    // other clients, who would later resend it as if it were theirs and be refused.
    // Appends settle in order, so forwards keep their order.
    write.then(
      () => {
        this.#forward(update, origin as Connection);
        this.#fanout?.publishUpdate(this.id, update, writerId);
        if (added.length > 0) this.#notifier?.messagesStored(this.id, added, writer, activeUsers(this.awareness));
      },
      () => {
        /* the room fails; #storeWrite handles it */
      }
    );
  };

  /**
   * Queues a stored update for the room's other connections. Updates that became durable
   * together (one group commit) go out as one merged update per socket: one write instead
   * of one per update, which is most of the cost of a busy room.
   */
  #forward(update: Uint8Array, from: Connection): void {
    this.#outbox.push({ update, from });
    if (this.#outbox.length === 1) queueMicrotask(this.#flushOutbox);
  }

  #flushOutbox = (): void => {
    const outbox = this.#outbox;
    this.#outbox = [];
    if (this.#failed) return;
    // Nobody but the writer here (its peers are away): nothing to frame.
    const alone = this.connections.size === 1 && outbox.every((o) => this.connections.has(o.from));
    if (alone || this.connections.size === 0) return;
    if (outbox.length === 1) {
      const { update, from } = outbox[0]!;
      const frame = frameBinary(encodeUpdateFrame(update));
      for (const c of this.connections) if (c !== from) c.sendFramed(frame);
      return;
    }
    const writers = new Set(outbox.map((o) => o.from));
    const all = frameBinary(encodeUpdateFrame(Y.mergeUpdates(outbox.map((o) => o.update))));
    for (const c of this.connections) {
      if (!writers.has(c)) c.sendFramed(all);
      else {
        // A writer gets everything but its own updates (it has them).
        const others = outbox.filter((o) => o.from !== c).map((o) => o.update);
        if (others.length > 0) c.send(encodeUpdateFrame(others.length === 1 ? others[0]! : Y.mergeUpdates(others)));
      }
    }
  };

  #storeWrite(write: Promise<void>, bytes: number): void {
    this.#lastWrite = write;
    write.then(
      () => this.#afterWrite(bytes),
      (err: unknown) => this.#fail(err)
    );
  }

  #onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown
  ): void => {
    const conn = origin as Connection;
    if (this.connections.has(conn)) {
      for (const id of added) conn.awarenessIds.add(id);
      for (const id of updated) conn.awarenessIds.add(id);
      for (const id of removed) conn.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    const payload = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    const frame = frameBinary(awarenessFrame(payload));
    // Echoed to the sender too: its provider counts any message as a sign of life. The
    // others may send it back (y-websocket does): that echo is on the house (SPEC 11).
    for (const c of this.connections) {
      c.sendFramed(frame);
      if (c !== conn) c.limiter.grantEcho();
    }
    if (origin !== REMOTE) this.#fanout?.publishAwareness(this.id, payload);
  };

  #awarenessFrame(clients: number[]): Uint8Array {
    return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
  }

  #afterWrite(bytes: number): void {
    this.#logCount++;
    this.#logBytes += bytes;
    if (this.#compacting || this.#failed) return;
    if (this.#logCount < this.#options.compactAfterUpdates && this.#logBytes < this.#options.compactAfterBytes) return;
    this.#compacting = true;
    const started = Date.now();
    this.#store
      .compact(this.id)
      .then(async (done) => {
        if (!done) return;
        const size = await this.#store.logSize(this.id);
        this.#logCount = size.count;
        this.#logBytes = size.bytes;
        this.#log.info('room compacted', { room: this.id, ms: Date.now() - started });
      })
      .catch((err: unknown) => {
        // The log is intact when compaction fails; the next write tries again.
        this.#log.error('compaction failed', { room: this.id, error: err });
      })
      .finally(() => {
        this.#compacting = false;
      });
  }

  #fail(err: unknown, what = 'storing an update failed; closing the room'): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#log.error(what, { room: this.id, error: err });
    for (const c of this.connections) c.close(Close.StorageError);
    this.#onFailed(this);
  }

  #noteAuthor(value: unknown): void {
    const message = value as { id?: unknown; author?: unknown } | null;
    if (typeof message?.id === 'string' && typeof message.author === 'string' && !this.#authors.has(message.id)) {
      this.#authors.set(message.id, message.author);
    }
  }

  /** Frees the doc and awareness (and the awareness timer). */
  destroy(): void {
    this.#destroyed = true;
    this.awareness.destroy();
    this.doc.destroy();
  }
}

/**
 * Reads the payload that ends a frame. A frame is exactly one message: bytes after it are
 * a malformed frame (thrown, so the connection is closed with 4400), never ignored.
 */
function readLastPayload(decoder: decoding.Decoder): Uint8Array {
  const payload = decoding.readVarUint8Array(decoder);
  if (decoding.hasContent(decoder)) throw new Error('Trailing bytes after the message');
  return payload;
}

function awarenessFrame(payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

function encodeUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function encodeAck(client: number, clock: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Ack);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  return encoding.toUint8Array(encoder);
}
