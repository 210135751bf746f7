import { describe, expect, it } from 'vitest';
import { RoomSyncs, type Leasable } from './room-syncs';

/** A room that records what the registry did to it. */
class Recorded implements Leasable {
  foreground = false;
  destroyed = false;
  constructor(readonly roomId: string) {}
  setForeground(foreground: boolean): void {
    this.foreground = foreground;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function registry() {
  const made: Recorded[] = [];
  const syncs = new RoomSyncs((roomId) => {
    const room = new Recorded(roomId);
    made.push(room);
    return room;
  });
  return { syncs, made };
}

describe('RoomSyncs', () => {
  it('hands the room list and the room page the same room, and closes it with the last lease', () => {
    const { syncs, made } = registry();
    const list = syncs.lease('r1');
    const page = syncs.lease('r1', { foreground: true });
    expect(page.sync).toBe(list.sync);
    expect(made).toHaveLength(1);
    expect(list.sync.foreground).toBe(true);

    page.release();
    // Back to the list only: still open, no longer on screen.
    expect(list.sync.foreground).toBe(false);
    expect(list.sync.destroyed).toBe(false);
    list.release();
    expect(list.sync.destroyed).toBe(true);
    expect(syncs.size).toBe(0);
  });

  it('stays in the foreground while any foreground lease is held, and a second release does nothing', () => {
    const { syncs } = registry();
    const a = syncs.lease('r1', { foreground: true });
    const b = syncs.lease('r1', { foreground: true });
    a.release();
    a.release();
    expect(b.sync.foreground).toBe(true);
    expect(b.sync.destroyed).toBe(false);
    b.release();
    expect(b.sync.destroyed).toBe(true);
  });

  it('a room leased again after its last release is a new one', () => {
    const { syncs, made } = registry();
    syncs.lease('r1').release();
    const again = syncs.lease('r1');
    expect(made).toHaveLength(2);
    expect(again.sync.destroyed).toBe(false);
  });

  it('closeAll closes every room, and a late release leaves the rooms opened after it alone', () => {
    const { syncs, made } = registry();
    const old = syncs.lease('r1', { foreground: true });
    syncs.lease('r2');
    syncs.closeAll();
    expect(made.every((room) => room.destroyed)).toBe(true);
    expect(syncs.size).toBe(0);

    const fresh = syncs.lease('r1');
    old.release();
    expect(fresh.sync.destroyed).toBe(false);
    expect(syncs.size).toBe(1);
  });

  it('tells a watcher of the rooms open now and later, and of each one closing', () => {
    const { syncs } = registry();
    const seen: string[] = [];
    syncs.lease('r1');
    const stop = syncs.watch((roomId) => {
      seen.push(`open ${roomId}`);
      return () => seen.push(`close ${roomId}`);
    });
    const r2 = syncs.lease('r2');
    r2.release();
    syncs.lease('r3');
    stop();
    syncs.closeAll();
    expect(seen).toEqual(['open r1', 'open r2', 'close r2', 'open r3', 'close r1', 'close r3']);
  });
});
