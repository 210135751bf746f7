import * as Y from 'yjs';
import type { RoomEvent } from '../../src/lib/chat/room-events';
import { roomTypes } from '../../src/lib/chat/schema';
import { asChatMessage } from '../../src/lib/chat/values';

/** A clientID nobody in the room writes with or owns. */
function freeClientId(taken: (clientId: number) => boolean): number {
  let id: number;
  do id = (Math.random() * 2 ** 32) >>> 0;
  while (taken(id));
  return id;
}

/**
 * The update that removes every message `userId` wrote in `doc`, and their edits, made on a
 * copy of the room (deleting needs the items themselves) with a clientID of its own.
 */
export function eraseUpdate(doc: Y.Doc, userId: string, taken: (clientId: number) => boolean): { update: Uint8Array; count: number } {
  const copy = new Y.Doc();
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    copy.clientID = freeClientId(taken);
    const before = Y.encodeStateVector(copy);
    const { messages, edits } = roomTypes(copy);
    let count = 0;
    copy.transact(() => {
      // From the end, so the indexes before it stay put.
      for (let i = messages.length - 1; i >= 0; i--) {
        const message = asChatMessage(messages.get(i));
        if (message?.author !== userId) continue;
        messages.delete(i, 1);
        if (edits.has(message.id)) edits.delete(message.id);
        count++;
      }
    });
    return { update: Y.encodeStateAsUpdate(copy, before), count };
  } finally {
    copy.destroy();
  }
}

/**
 * The server's own writes into one room's document (SPEC 7.9: room events). A scratch
 * Y.Doc holding only what this server wrote, with a clientID nobody in the room uses: a
 * new key in the `events` map depends on nothing else in the room, so its update applies
 * to the room's doc (and every client's) as it is, and the clock goes on from write to write.
 */
export class ServerWriter {
  readonly #doc = new Y.Doc();

  constructor(taken: (clientId: number) => boolean) {
    this.#doc.clientID = freeClientId(taken);
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
