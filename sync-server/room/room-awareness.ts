import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { encodeFrame } from '../../src/lib/protocol/frames';
import { activeUsers } from '../push/active-users';
import { decodeAwareness, encodeAwareness, filterAwareness } from './awareness-filter';
import { Connection } from './connection';
import { frameBinary } from './framed';

/** Where an awareness change came from: a connection here, or another instance. */
type AwarenessOrigin = Connection | 'remote';

/**
 * A room's presence (SPEC 6): y-protocols awareness in which each connection may write only
 * the clientIDs it introduced and only with its own user id; changes go to every connection
 * (the sender too: its provider counts any message as a sign of life) and to the other
 * instances. The server is not a participant: it has no state of its own.
 */
export class RoomAwareness {
  readonly #awareness: awarenessProtocol.Awareness;
  readonly #connections: ReadonlySet<Connection>;
  readonly #publish: (update: Uint8Array) => void;

  /** `publish`: hands a change made here to the other instances. */
  constructor(connections: ReadonlySet<Connection>, publish: (update: Uint8Array) => void) {
    // y-protocols wants a doc only for its clientID: not the room's, which may not be built yet.
    this.#awareness = new awarenessProtocol.Awareness(new Y.Doc());
    this.#awareness.setLocalState(null);
    this.#connections = connections;
    this.#publish = publish;
    this.#awareness.on('update', this.#onUpdate);
  }

  /** Users with a visible Porch on this room, on any instance (for push, SPEC 19). */
  activeUsers(): Set<string> {
    return activeUsers(this.#awareness);
  }

  /**
   * Sends everyone's presence to `conn`: a query-awareness is always answered, a new
   * connection is greeted only when someone is there.
   */
  sendAll(conn: Connection, why: 'greeting' | 'query'): void {
    const clients = [...this.#awareness.getStates().keys()];
    if (clients.length === 0 && why === 'greeting') return;
    conn.send(encodeFrame({ kind: 'awareness', update: awarenessProtocol.encodeAwarenessUpdate(this.#awareness, clients) }));
    conn.limiter.grantEcho();
  }

  /**
   * Applies what `conn` may write of an awareness update. False: the connection is over its
   * message rate. An echo of what the server sent (y-websocket clients send back every change
   * they get) changes nothing and is paid by echo credit instead (SPEC 11); `prepaid` frames
   * were charged on arrival.
   */
  receive(conn: Connection, update: Uint8Array, prepaid: boolean): boolean {
    const entries = filterAwareness(decodeAwareness(update), conn.user.id, (clientId) => {
      for (const other of this.#connections) if (other !== conn && other.awarenessIds.has(clientId)) return true;
      return false;
    }).filter((e) => this.#changes(e.clientId, e.clock, e.json));
    if (!prepaid && !conn.limiter.takeAwareness(entries.length > 0)) return false;
    if (entries.length > 0) awarenessProtocol.applyAwarenessUpdate(this.#awareness, encodeAwareness(entries), conn satisfies AwarenessOrigin);
    return true;
  }

  /** Presence from another instance's connections. */
  applyRemote(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.#awareness, update, 'remote' satisfies AwarenessOrigin);
  }

  /** Removes exactly the clientIDs `conn` introduced. */
  leave(conn: Connection): void {
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.#awareness, [...conn.awarenessIds], conn satisfies AwarenessOrigin);
  }

  /** Frees the awareness and its timer. */
  destroy(): void {
    this.#awareness.destroy();
    this.#awareness.doc.destroy();
  }

  /** Whether an entry would change the room's awareness (y-protocols' own test). */
  #changes(clientId: number, clock: number, json: string): boolean {
    const known = this.#awareness.meta.get(clientId)?.clock;
    if (known === undefined || known < clock) return true;
    return known === clock && json === 'null' && this.#awareness.states.has(clientId);
  }

  readonly #onUpdate = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: AwarenessOrigin): void => {
    const from = origin instanceof Connection ? origin : null;
    if (from && this.#connections.has(from)) {
      for (const id of added) from.awarenessIds.add(id);
      for (const id of updated) from.awarenessIds.add(id);
      for (const id of removed) from.awarenessIds.delete(id);
    }
    const payload = awarenessProtocol.encodeAwarenessUpdate(this.#awareness, [...added, ...updated, ...removed]);
    const frame = frameBinary(encodeFrame({ kind: 'awareness', update: payload }));
    // The others may send it back (y-websocket does): that echo is on the house (SPEC 11).
    for (const c of this.#connections) {
      c.sendFramed(frame);
      if (c !== from) c.limiter.grantEcho();
    }
    if (origin !== 'remote') this.#publish(payload);
  };
}
