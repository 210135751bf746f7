import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listRoomEvents, newRoomEventId, type RoomEvent } from './room-events';
import { MESSAGE_ID, roomTypes } from './schema';

describe('room events read in the order they happened', () => {
  it('orders events of one millisecond by when they were made, whatever the map holds them in', () => {
    const doc = new Y.Doc();
    const { events } = roomTypes(doc);
    const ts = Date.UTC(2026, 11, 4);
    const ids = Array.from({ length: 50 }, () => newRoomEventId(ts));
    // Written in reverse: the list still reads in the order the ids were made.
    for (const [i, id] of [...ids.entries()].reverse()) events.set(id, { kind: 'renamed', actor: 'ana', actorName: 'ana', name: `n${i}`, ts } satisfies RoomEvent);
    expect(listRoomEvents(events).map((e) => e.id)).toEqual(ids);
    expect(ids.every((id) => MESSAGE_ID.test(id))).toBe(true);
  });

  it('skips what it cannot read (a newer server’s kind) instead of failing', () => {
    const doc = new Y.Doc();
    const { events } = roomTypes(doc);
    events.set('a', { kind: 'left', actor: 'bo', actorName: 'bo', ts: Date.now() });
    events.set('b', { kind: 'pinned', actor: 'bo', actorName: 'bo', ts: Date.now() } as unknown as RoomEvent);
    expect(listRoomEvents(events).map((e) => e.kind)).toEqual(['left']);
  });
});
