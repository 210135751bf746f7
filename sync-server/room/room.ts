import { Close, withReason } from '../../src/lib/protocol/close-codes';
import { decodeFrame, encodeFrame, type Frame } from '../../src/lib/protocol/frames';
import type { ClientBinding } from '../storage/update-store';
import type { Connection } from './connection';
import { DocOnDemand, type DocHost, type RemoteUpdate } from './doc-on-demand';
import { LogCompaction } from './log-compaction';
import type { RoomDeps, RoomOptions } from './room-deps';
import { Outbox } from './outbox';
import { RoomAwareness } from './room-awareness';
import { readStoredDocument, RoomDocument, type StoredDocument } from './room-document';
import { SERVER_WRITER_ID, type RoomEvent } from '../../src/lib/chat/room-events';
import { eraseUpdate, ServerWriter } from './server-writer';

export type { RoomDeps, RoomFanout, RoomNotifier, RoomOptions } from './room-deps';

/**
 * One room in memory: its connections, its presence, and its document, which is built from
 * the store once a client needs its content (until then the room answers from the stored
 * state: doc-on-demand.ts). An update goes one way (#receiveUpdate): admitted, applied,
 * appended, and once durable acked, forwarded, published and notified. A storage failure
 * fails the whole room: its connections are closed and it is reloaded on the next
 * connection, so nothing unacknowledged is trusted.
 */
export class Room {
  readonly id: string;
  readonly connections = new Set<Connection>();
  readonly #deps: RoomDeps;
  readonly #options: RoomOptions;
  readonly #outbox = new Outbox(this.connections);
  readonly #awareness: RoomAwareness;
  /** Until the doc is built: answers from the stored state, keeps what needs the doc. */
  #onDemand: DocOnDemand<StoredDocument> | null = null;
  #document: RoomDocument | null = null;
  #compaction: LogCompaction | null = null;
  #failed = false;
  #destroyed = false;
  /** The server's own writes (room events), made on first use. */
  #writer: ServerWriter | null = null;

  private constructor(id: string, deps: RoomDeps, options: RoomOptions) {
    this.id = id;
    this.#deps = deps;
    this.#options = options;
    this.#awareness = new RoomAwareness(this.connections, (update) => deps.fanout?.publishAwareness(id, update));
  }

  /** Opens a room from its stored state (SPEC 3); its doc is built when a client needs the content. */
  static async load(id: string, deps: RoomDeps, options: RoomOptions): Promise<Room> {
    const room = new Room(id, deps, options);
    const started = performance.now();
    room.#onDemand = new DocOnDemand(await deps.store.loadState(id), room.#docHost);
    deps.log.info('room loaded', { room: id, readMs: Math.round(performance.now() - started) });
    return room;
  }

  get failed(): boolean {
    return this.#failed;
  }

  /**
   * Greets a new connection with everyone's presence and the server's state vector, which
   * goes out once the writes in flight are stored: a client may take it as "the server has
   * all of this durably" (SPEC 4). Encoded now, so it names only what those writes hold.
   */
  join(conn: Connection): void {
    this.connections.add(conn);
    this.#awareness.sendAll(conn, 'greeting');
    const stateVector = this.#onDemand ? this.#onDemand.stateVector : this.#doc().stateVector;
    this.#sendOnceStored(conn, encodeFrame({ kind: 'sync-step-1', stateVector }));
  }

  leave(conn: Connection): void {
    conn.beforeStep2.dispose();
    this.#onDemand?.forget(conn);
    if (!this.connections.delete(conn)) return;
    this.#awareness.leave(conn);
  }

  /**
   * Handles one frame from a connection; a bad frame closes it with 4400. `prepaid`: the
   * frame was charged to the connection's rate limit already (it arrived before the room was
   * loaded); otherwise awareness frames are charged here (SPEC 11).
   */
  receive(conn: Connection, bytes: Uint8Array, prepaid = false): void {
    const decoded = decodeFrame(bytes);
    if (!decoded.ok) {
      this.#deps.log.warn('bad frame', { room: this.id, conn: conn.id, user: conn.user.id, reason: decoded.reason });
      return conn.close(withReason(Close.BadMessage, decoded.reason));
    }
    this.#handle(conn, decoded.frame, prepaid);
  }

  #handle(conn: Connection, frame: Frame, prepaid: boolean): void {
    if (this.#failed || this.#onDemand?.intercept(conn, frame, prepaid)) return;
    try {
      switch (frame.kind) {
        case 'sync-step-1':
          // Sent once what it holds is stored, as forwards are (SPEC 5, 8): a client given a
          // change the server then loses in a crash would resend it as another user's clientID.
          return this.#sendOnceStored(conn, encodeFrame({ kind: 'sync-step-2', update: this.#doc().missingFrom(frame.stateVector) }));
        case 'sync-step-2': {
          const waiting = conn.beforeStep2.arrive();
          this.#receiveUpdate(conn, frame.update);
          for (const early of waiting) if (conn.open) this.#receiveUpdate(conn, early);
          return;
        }
        case 'update':
          return this.#receiveUpdate(conn, frame.update);
        case 'awareness':
          if (!this.#awareness.receive(conn, frame.update, prepaid)) this.#slowDown(conn);
          return;
        case 'query-awareness':
          return this.#awareness.sendAll(conn, 'query');
        case 'auth':
          // Clients have nothing to say here; authorisation happened at connect.
          return;
        case 'ack':
          return conn.close(withReason(Close.BadMessage, 'Acks are sent by the server only'));
        default:
          throw new Error(`unexpected frame ${(frame satisfies never) as string}`);
      }
    } catch (err) {
      this.#deps.log.warn('bad frame', { room: this.id, conn: conn.id, user: conn.user.id, error: err });
      conn.close(withReason(Close.BadMessage, 'Malformed message'));
    }
  }

  /** SPEC 7-9, 14: the path of one update, from admission to its ack. */
  #receiveUpdate(conn: Connection, update: Uint8Array): void {
    if (conn.beforeStep2.holding) return this.#hold(conn, update, 'Update depends on changes the server does not have');
    const document = this.#doc();
    const writer = { userId: conn.user.id, role: conn.role };
    const admission = document.admit(update, writer);
    if (!admission.ok) {
      if (admission.missing && conn.beforeStep2.mayHold) return this.#hold(conn, update, admission.reason);
      return this.#reject(conn, admission.reason);
    }
    const bindings = document.bind(admission.newClients, writer.userId);
    const change = admission.empty ? null : document.apply(update, 'client');
    // Nothing new (a resend after reconnect): acked once the writes in flight are stored.
    if (change === null && bindings.length === 0) return this.#acknowledge(conn, admission.ends);
    // New bindings of an update that changed nothing are stored with it all the same.
    const stored = this.#append(change ?? update, bindings);
    const notify = change !== null && admission.addedMessages.length > 0 && this.#deps.notifier?.mayNotify(this.id) === true;
    stored.then(
      () => {
        // Nothing that was never stored reaches anyone (SPEC 8); appends settle in order.
        if (this.connections.has(conn)) for (const [client, clock] of admission.ends) conn.send(encodeFrame({ kind: 'ack', client, clock }));
        if (change === null) return;
        this.#outbox.send(change, conn);
        this.#deps.fanout?.publishUpdate(this.id, change, writer.userId);
        if (notify) this.#deps.notifier?.messagesStored(this.id, admission.addedMessages, conn.user, this.#awareness.activeUsers());
      },
      () => {
        /* the room fails (#append) */
      }
    );
  }

  /**
   * SPEC 7.9: records a room event (written in Postgres already by the caller) in the doc:
   * judged like any update, with the server as writer, then stored, forwarded and published.
   * Resolves once stored; rejects if the room cannot take it (failed, or the write failed).
   */
  async recordEvent(id: string, event: RoomEvent): Promise<void> {
    if (this.#onDemand) await this.#onDemand.whenBuilt();
    if (this.#failed || this.#destroyed) throw new Error('The room is not available');
    const document = this.#doc();
    this.#writer ??= new ServerWriter((client) => document.clientTaken(client));
    const update = this.#writer.event(id, event);
    try {
      await this.#writeAs({ userId: SERVER_WRITER_ID, role: 'member' }, update);
    } catch (err) {
      // Its clock moved on with a write the room may not have: start a fresh one.
      this.#writer?.destroy();
      this.#writer = null;
      throw err;
    }
  }

  /**
   * Erases what `userId` wrote here (their account is being deleted and they asked for it):
   * their messages are removed from the list and their edits with them, written as theirs
   * (a fresh clientID bound to them) so the write rules judge it like their own delete.
   * Resolves once stored; `count` is how many messages went.
   */
  async eraseMessagesOf(userId: string): Promise<{ count: number }> {
    if (this.#onDemand) await this.#onDemand.whenBuilt();
    if (this.#failed || this.#destroyed) throw new Error('The room is not available');
    const document = this.#doc();
    const { update, count } = eraseUpdate(document.doc, userId, (client) => document.clientTaken(client));
    if (count > 0) await this.#writeAs({ userId, role: 'member' }, update);
    return { count };
  }

  /** A server-made update, judged, applied, stored, forwarded and published as `writer`'s. */
  async #writeAs(writer: { userId: string; role: 'member' }, update: Uint8Array): Promise<void> {
    const document = this.#doc();
    const admission = document.admit(update, writer);
    if (!admission.ok) throw new Error(`Server write refused: ${admission.reason}`);
    const bindings = document.bind(admission.newClients, writer.userId);
    const change = document.apply(update, 'server');
    if (change === null) return;
    await this.#append(change, bindings);
    this.#outbox.send(change, null);
    this.#deps.fanout?.publishUpdate(this.id, change, writer.userId);
  }

  /** Appends to the log; a failed write fails the room (SPEC 10). */
  #append(update: Uint8Array, bindings: readonly ClientBinding[]): Promise<void> {
    const write = this.#deps.store.append(this.id, update, bindings);
    write.then(
      () => this.#compaction?.appended(update.byteLength),
      (err: unknown) => this.#fail(err)
    );
    return write;
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
    this.#deps.log.warn('update rejected', { room: this.id, conn: conn.id, user: conn.user.id, reason });
    conn.close(withReason(Close.BadMessage, reason));
  }

  #slowDown(conn: Connection): void {
    this.#deps.log.warn('message rate exceeded', { room: this.id, conn: conn.id, user: conn.user.id });
    conn.close(Close.SlowDown);
  }

  /** SPEC 9: acks `ends` of an update that changed nothing, once the writes in flight are stored. */
  #acknowledge(conn: Connection, ends: Map<number, number>): void {
    for (const [client, clock] of ends) this.#sendOnceStored(conn, encodeFrame({ kind: 'ack', client, clock }));
  }

  /** Sends `frame` once the writes in flight now are stored, unless `conn` left by then. */
  #sendOnceStored(conn: Connection, frame: Uint8Array): void {
    this.#deps.store.flush().then(
      () => {
        if (this.connections.has(conn)) conn.send(frame);
      },
      () => {
        /* a failed write fails the room, which closes this connection */
      }
    );
  }

  /**
   * A change another instance judged, stored and published (SPEC 17): applied and forwarded
   * to this instance's connections, not stored again. Its new clientIDs are its writer's.
   */
  applyRemoteUpdate(update: Uint8Array, writerId: string): void {
    if (this.#failed) return;
    if (this.#onDemand) {
      // No doc yet: the clients here were answered from the stored state, which now holds
      // this too; the doc, when built, reads it from the store (or gets it from `remote`).
      this.#onDemand.remote({ update, writerId });
      return this.#outbox.send(update, null);
    }
    const document = this.#doc();
    document.bindRemote(update, writerId);
    const change = document.apply(update, 'remote');
    if (change) this.#outbox.send(change, null);
  }

  /** Presence from another instance's connections. */
  applyRemoteAwareness(update: Uint8Array): void {
    this.#awareness.applyRemote(update);
  }

  /** Frees the doc and awareness (and the awareness timer). */
  destroy(): void {
    this.#destroyed = true;
    this.#awareness.destroy();
    this.#writer?.destroy();
    this.#document?.destroy();
  }

  /**
   * The built document. Before DocOnDemand hands over, only frames it could not decode get
   * here: the throw closes them with 4400, as their decoding would.
   */
  #doc(): RoomDocument {
    if (!this.#document) throw new Error('The room has no document yet');
    return this.#document;
  }

  readonly #docHost: DocHost<StoredDocument> = {
    read: () => readStoredDocument(this.#deps.store, this.id),
    build: (stored, remote) => this.#build(stored, remote),
    receive: (conn, frame, prepaid) => this.#handle(conn, frame, prepaid),
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

  #build(stored: StoredDocument, remote: RemoteUpdate[]): void {
    if (this.#destroyed) return;
    const started = performance.now();
    this.#document = new RoomDocument(stored, remote);
    this.#compaction = new LogCompaction(this.id, stored.size, this.#deps, this.#options);
    const bytes = stored.updates.reduce((n, u) => n + u.byteLength, 0);
    this.#deps.log.info('room built', { room: this.id, updates: stored.updates.length, bytes, readMs: Math.round(stored.readMs), buildMs: Math.round(performance.now() - started) });
  }

  #fail(err: unknown, what = 'storing an update failed; closing the room'): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#outbox.clear();
    this.#deps.log.error(what, { room: this.id, error: err });
    for (const c of this.connections) c.close(Close.StorageError);
    this.#deps.onFailed(this);
  }
}
