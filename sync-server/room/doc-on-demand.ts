import * as Y from 'yjs';
import { encodeFrame, type Frame } from '../../src/lib/protocol/frames';
import type { StoredState } from '../storage/stored-state';
import type { Connection } from './connection';

/** What the room does for DocOnDemand. `T`: what it reads from the store to build its doc. */
export interface DocHost<T> {
  /** Reads what the room's Y.Doc is built from. */
  read(): Promise<T>;
  /** Builds the doc from it and from `remote`, what other instances sent during the read. */
  build(stored: T, remote: RemoteUpdate[]): void;
  /** Handles a frame as a room with a document does (also frames that need none). */
  receive(conn: Connection, frame: Frame, prepaid: boolean): void;
  /** Sends the acks for `ends` once the writes in flight are stored (SPEC 9). */
  acknowledge(conn: Connection, ends: Map<number, number>): void;
  /** Closes a connection over its message rate (SPEC 11). */
  slowDown(conn: Connection): void;
  /** The document could not be built: the room fails (SPEC 10). */
  fail(err: unknown): void;
  /** The document is built and every frame that waited for it handled. */
  built(): void;
}

/** An update another instance stored and published (SPEC 17). */
export interface RemoteUpdate {
  update: Uint8Array;
  writerId: string;
}

interface Waiting {
  conn: Connection;
  frame: Frame;
}

/**
 * A room that has not built its Y.Doc (SPEC 3): after a restart most clients are up to date,
 * and answering them needs only the room's stored state vector and deletions, not the
 * seconds of Postgres reads and Y.applyUpdate that a hundred big rooms cost. Their sync
 * step 1 is answered with the stored deletions, and their updates that change nothing (a
 * sync step 2 with nothing new) are acked. The first frame that needs the content (a client
 * that lacks something, an update to judge) starts building the doc; it and every later
 * frame of its connection wait, in order, and are handled once the doc is there.
 */
export class DocOnDemand<T> {
  readonly state: StoredState;
  readonly #host: DocHost<T>;
  #building = false;
  #built = false;
  /** Frames that wait for the doc, in arrival order, with the connections they block. */
  #waiting: Waiting[] = [];
  readonly #blocked = new Set<Connection>();
  /** Updates from other instances while the doc is being read: the read may miss them. */
  #remote: RemoteUpdate[] = [];
  /** Who waits for the doc without a frame (the server's own writes). */
  #awaiting: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  constructor(state: StoredState, host: DocHost<T>) {
    this.state = state;
    this.#host = host;
  }

  /** The room's state vector, for sync step 1 (SPEC 4). */
  get stateVector(): Uint8Array {
    return this.state.encode().stateVector;
  }

  /**
   * Answers a frame from the stored state or keeps it until the doc is built: true. False:
   * the room handles it now (it needs no document, or the doc is built).
   */
  intercept(conn: Connection, frame: Frame, prepaid: boolean): boolean {
    if (this.#built) return false;
    if (!this.#blocked.has(conn)) {
      const answer = this.#answer(conn, frame);
      if (answer !== 'needs-doc') return answer === 'answered';
      this.#blocked.add(conn);
      this.#build();
    }
    // SPEC 11: a frame that waits counts at arrival, as one before the room is loaded does.
    if (!prepaid && frame.kind === 'awareness' && !conn.limiter.take()) {
      this.#host.slowDown(conn);
      return true;
    }
    this.#waiting.push({ conn, frame });
    return true;
  }

  /** Builds the doc if nobody asked yet; resolves once it is built and every waiting frame handled. */
  whenBuilt(): Promise<void> {
    if (this.#built) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.#awaiting.push({ resolve, reject }));
    this.#build();
    return done;
  }

  /** Another instance's update: part of the stored state now, and of the doc if it is being read. */
  remote(update: RemoteUpdate): void {
    this.state.add(update.update);
    if (this.#building) this.#remote.push(update);
  }

  /** A connection left: nothing of it waits any more. */
  forget(conn: Connection): void {
    if (!this.#blocked.delete(conn)) return;
    this.#waiting = this.#waiting.filter((w) => w.conn !== conn);
  }

  #answer(conn: Connection, frame: Frame): 'answered' | 'room' | 'needs-doc' {
    // What this cannot decode, the room decodes the same way and refuses (4400) before it
    // touches the doc.
    if (frame.kind === 'sync-step-1') {
      let stateVector: Map<number, number>;
      try {
        stateVector = Y.decodeStateVector(frame.stateVector);
      } catch {
        return 'room';
      }
      if (!this.state.coveredBy(stateVector)) return 'needs-doc';
      conn.send(encodeFrame({ kind: 'sync-step-2', update: this.state.encode().deleteSet }));
      return 'answered';
    }
    if (frame.kind !== 'sync-step-2' && frame.kind !== 'update') return 'room';
    let update: ReturnType<typeof Y.decodeUpdate>;
    try {
      update = Y.decodeUpdate(frame.update);
    } catch {
      return 'room';
    }
    const ends = this.state.changesNothing(update);
    if (!ends) return 'needs-doc';
    // Nothing waits for this step 2: updates wait for one only in a room with its doc.
    if (frame.kind === 'sync-step-2') conn.beforeStep2.arrive();
    this.#host.acknowledge(conn, ends);
    return 'answered';
  }

  #build(): void {
    if (this.#building) return;
    this.#building = true;
    // Built, switched over and replayed in one go: no frame or remote update slips between.
    this.#host.read().then(
      (stored) => {
        try {
          this.#host.build(stored, this.#remote);
        } catch (err) {
          this.#failed(err);
          return;
        }
        this.#built = true;
        this.#remote = [];
        const waiting = this.#waiting;
        this.#waiting = [];
        this.#blocked.clear();
        for (const { conn, frame } of waiting) if (conn.open) this.#host.receive(conn, frame, true);
        this.#host.built();
        for (const { resolve } of this.#awaiting.splice(0)) resolve();
      },
      (err: unknown) => this.#failed(err)
    );
  }

  #failed(err: unknown): void {
    this.#host.fail(err);
    for (const { reject } of this.#awaiting.splice(0)) reject(err);
  }
}
