import * as Y from 'yjs';
import type { RoomEvent } from '../../src/lib/chat/room-events';

/**
 * The server's own writes into one room's document (SPEC 7.9: room events). A scratch
 * Y.Doc holding only what this server wrote, with a clientID nobody in the room uses: a
 * new key in the `events` map depends on nothing else in the room, so its update applies
 * to the room's doc (and every client's) as it is, and the clock goes on from write to write.
 */
export class ServerWriter {
  readonly #doc = new Y.Doc();

  constructor(taken: (clientId: number) => boolean) {
    let id: number;
    do id = (Math.random() * 2 ** 32) >>> 0;
    while (taken(id));
    this.#doc.clientID = id;
  }

  get clientId(): number {
    return this.#doc.clientID;
  }

  /** The update that records `event` under `id`. */
  event(id: string, event: RoomEvent): Uint8Array {
    const before = Y.encodeStateVector(this.#doc);
    this.#doc.getMap<RoomEvent>('events').set(id, event);
    return Y.encodeStateAsUpdate(this.#doc, before);
  }

  destroy(): void {
    this.#doc.destroy();
  }
}
