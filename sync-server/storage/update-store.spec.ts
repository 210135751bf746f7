import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import type { Database } from '../../src/lib/server/db/database';
import { createRoom } from '../../src/lib/server/rooms';
import { openTestDatabase } from '../../tests/helpers/database';
import { makeUser } from '../../tests/helpers/users';
import { MemoryUpdateStore } from './memory-update-store';
import { PostgresUpdateStore } from './postgres-update-store';
import { StoredState } from './stored-state';
import type { UpdateStore } from './update-store';

let db: Database;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

async function newRoomId(): Promise<string> {
  const user = await makeUser(db.sql, `u_${Math.random().toString(36).slice(2, 9)}`);
  return (await createRoom(db.sql, user.id, 'r')).id;
}

/** Edits one doc and returns each change as its own update, as a client would send them. */
function updatesOf(texts: string[]): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const text of texts) sendMessage(doc, { author: 'a', text });
  return { doc, updates };
}

function rebuild(stored: Uint8Array[]): string[] {
  const doc = new Y.Doc();
  for (const u of stored) Y.applyUpdate(doc, u);
  return listMessages(doc).map((m) => m.text);
}

const implementations: [string, () => UpdateStore][] = [
  ['memory', () => new MemoryUpdateStore()],
  ['postgres', () => new PostgresUpdateStore(db.sql, { maxBatch: 7 })]
];

describe.each(implementations)('UpdateStore (%s)', (_name, make) => {
  it('loads nothing for a new room', async () => {
    expect(await make().load(await newRoomId())).toEqual([]);
  });

  it('returns appended updates in order, and they rebuild the document', async () => {
    const store = make();
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b', 'c']);
    for (const u of updates) await store.append(room, u);
    expect(rebuild(await store.load(room))).toEqual(['a', 'b', 'c']);
    expect((await store.logSize(room)).count).toBe(3);
  });

  it('group-commits many concurrent appends, all durable, resolved in order', async () => {
    const store = make();
    const room = await newRoomId();
    const { updates } = updatesOf(Array.from({ length: 50 }, (_, i) => `m${i}`));
    const order: number[] = [];
    await Promise.all(updates.map((u, i) => store.append(room, u).then(() => order.push(i))));
    expect(order).toEqual(updates.map((_, i) => i));
    expect(rebuild(await store.load(room))).toHaveLength(50);
  });

  it('compacts the log into one snapshot without losing anything', async () => {
    const store = make();
    const room = await newRoomId();
    const { updates } = updatesOf(Array.from({ length: 30 }, (_, i) => `m${i}`));
    for (const u of updates.slice(0, 20)) await store.append(room, u);
    expect(await store.compact(room)).toBe(true);
    expect((await store.logSize(room)).count).toBe(0);
    for (const u of updates.slice(20)) await store.append(room, u);
    const loaded = await store.load(room);
    expect(loaded).toHaveLength(11);
    expect(rebuild(loaded)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
  });

  it('SPEC 3: loads the state its updates add up to, before and after compaction', async () => {
    const store = make();
    const room = await newRoomId();
    expect((await store.loadState(room)).encode()).toEqual(StoredState.empty().encode());
    const { doc, updates } = updatesOf(['a', 'b', 'c', 'd']);
    const changes: Uint8Array[] = [...updates];
    doc.on('update', (u: Uint8Array) => changes.push(u));
    doc.getArray('messages').delete(1, 1);
    const stateOf = (stored: Uint8Array[]) => {
      const rebuilt = new Y.Doc();
      for (const u of stored) Y.applyUpdate(rebuilt, u);
      return StoredState.of(rebuilt).encode();
    };
    for (const u of changes.slice(0, 3)) await store.append(room, u);
    expect((await store.loadState(room)).encode()).toEqual(stateOf(changes.slice(0, 3)));
    await store.compact(room);
    for (const u of changes.slice(3)) await store.append(room, u);
    expect((await store.loadState(room)).encode()).toEqual(stateOf(changes));
    await store.compact(room);
    expect((await store.loadState(room)).encode()).toEqual(StoredState.of(doc).encode());
  });

  it('SPEC 7.1: stores clientID bindings with their update and loads them', async () => {
    const store = make();
    const user = await makeUser(db.sql, `b_${Math.random().toString(36).slice(2, 9)}`);
    const room = await newRoomId();
    expect(await store.loadClients(room)).toEqual(new Map());
    const { updates } = updatesOf(['a', 'b']);
    await store.append(room, updates[0]!, [{ clientId: 2 ** 32 - 1, userId: user.id }, { clientId: 7, userId: user.id }]);
    await store.append(room, updates[1]!);
    expect(await store.loadClients(room)).toEqual(
      new Map([
        [2 ** 32 - 1, user.id],
        [7, user.id]
      ])
    );
    expect(await store.loadClients(await newRoomId())).toEqual(new Map());
  });

  it('SPEC 7.1: a clientID keeps its first user', async () => {
    const store = make();
    const [first, second] = [await makeUser(db.sql, `f_${Math.random().toString(36).slice(2, 9)}`), await makeUser(db.sql, `s_${Math.random().toString(36).slice(2, 9)}`)];
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b']);
    await store.append(room, updates[0]!, [{ clientId: 1, userId: first.id }]);
    await store.append(room, updates[1]!, [{ clientId: 1, userId: second.id }]);
    expect((await store.loadClients(room)).get(1)).toBe(first.id);
  });

  it('flush waits for appends in flight', async () => {
    const store = make();
    const room = await newRoomId();
    const { updates } = updatesOf(['x', 'y']);
    let settled = 0;
    for (const u of updates) void store.append(room, u).then(() => settled++);
    await store.flush();
    expect(settled).toBe(2);
  });
});

describe('PostgresUpdateStore group commit', () => {
  it('writes at once when quiet; when busy, appends that arrive together share one INSERT after the gather window', async () => {
    const store = new PostgresUpdateStore(db.sql, { gatherMs: 300 });
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b', 'c']);
    const t0 = performance.now();
    await store.append(room, updates[0]!);
    // Quiet: no appends before, so no waiting.
    expect(performance.now() - t0).toBeLessThan(250);
    const t1 = performance.now();
    const settledAt: number[] = [];
    const second = store.append(room, updates[1]!).then(() => settledAt.push(performance.now()));
    const third = store.append(room, updates[2]!).then(() => settledAt.push(performance.now()));
    await Promise.all([second, third]);
    expect(settledAt[0]! - t1).toBeGreaterThanOrEqual(290);
    // One statement: both settle together.
    expect(Math.abs(settledAt[1]! - settledAt[0]!)).toBeLessThan(5);
    expect(rebuild(await store.load(room))).toEqual(['a', 'b', 'c']);
  });

  it('stops gathering when someone waits for a flush (a joining client)', async () => {
    const store = new PostgresUpdateStore(db.sql, { gatherMs: 1000 });
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b', 'c']);
    await store.append(room, updates[0]!);
    void store.append(room, updates[1]!);
    void store.append(room, updates[2]!);
    const t = performance.now();
    await store.flush();
    expect(performance.now() - t).toBeLessThan(500);
    expect(rebuild(await store.load(room))).toEqual(['a', 'b', 'c']);
  });

  it('does not wait at a moderate rate (appends further apart than half the window)', async () => {
    const store = new PostgresUpdateStore(db.sql, { gatherMs: 90 });
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b', 'c', 'd']);
    const waits: number[] = [];
    for (const u of updates) {
      await new Promise((resolve) => setTimeout(resolve, 45));
      const t = performance.now();
      await store.append(room, u);
      waits.push(performance.now() - t);
    }
    // Each would take >= 90 ms if it waited for company.
    expect(Math.max(...waits)).toBeLessThan(70);
    expect(rebuild(await store.load(room))).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('PostgresUpdateStore kept state (migration 005)', () => {
  const kept = async (room: string) =>
    (await db.sql<{ state_of: number | null; update_count: number }[]>`select state_of, update_count from room_snapshots where room_id = ${room}`)[0];

  it('a snapshot written without its state (an older Porch) gets it on its first load; one compacted since gets it again', async () => {
    const store = new PostgresUpdateStore(db.sql);
    const room = await newRoomId();
    const { doc, updates } = updatesOf(['a', 'b', 'c']);
    const snapshotOf = (n: number) => {
      const partial = new Y.Doc();
      for (const u of updates.slice(0, n)) Y.applyUpdate(partial, u);
      return Y.encodeStateAsUpdate(partial);
    };
    await db.sql`insert into room_snapshots (room_id, data, update_count) values (${room}, ${Buffer.from(snapshotOf(2))}, 2)`;
    await store.append(room, updates[2]!);
    expect((await store.loadState(room)).encode()).toEqual(StoredState.of(doc).encode());
    expect(await kept(room)).toEqual({ state_of: 2, update_count: 2 });

    // An older Porch compacts: new content and count, the kept state left behind.
    await db.sql`update room_snapshots set data = ${Buffer.from(snapshotOf(3))}, update_count = 3 where room_id = ${room}`;
    await db.sql`delete from room_updates where room_id = ${room}`;
    expect((await store.loadState(room)).encode()).toEqual(StoredState.of(doc).encode());
    expect(await kept(room)).toEqual({ state_of: 3, update_count: 3 });
  });
});

describe('PostgresUpdateStore errors', () => {
  it('rejects an append that cannot be stored instead of swallowing it', async () => {
    const store = new PostgresUpdateStore(db.sql);
    const { updates } = updatesOf(['lost?']);
    // No such room: the foreign key refuses the row.
    await expect(store.append('no-such-room', updates[0]!)).rejects.toThrow();
    // The store keeps working for good rows afterwards.
    const room = await newRoomId();
    await store.append(room, updates[0]!);
    expect(rebuild(await store.load(room))).toEqual(['lost?']);
  });

  it('SPEC 7.1: stores an update and its bindings together or not at all', async () => {
    const store = new PostgresUpdateStore(db.sql);
    const room = await newRoomId();
    const { updates } = updatesOf(['orphan?']);
    // No such user: the binding's foreign key fails, and the update goes with it.
    await expect(store.append(room, updates[0]!, [{ clientId: 3, userId: 'no-such-user' }])).rejects.toThrow();
    expect(await store.load(room)).toEqual([]);
    expect(await store.loadClients(room)).toEqual(new Map());
  });

  it('lets only one compaction of a room run at a time, and two at once lose nothing', async () => {
    const store = new PostgresUpdateStore(db.sql);
    const room = await newRoomId();
    const { updates } = updatesOf(['a', 'b', 'c']);
    for (const u of updates.slice(0, 2)) await store.append(room, u);
    if (db.kind === 'postgres') {
      // Another instance (its own connection) holds the room's compaction lock: we skip.
      const other = postgres(process.env.DATABASE_URL!, { max: 1 });
      const held = other.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('porch.compact'), hashtext(${room}))`;
        expect(await store.compact(room)).toBe(false);
      });
      await held;
      await other.end();
    }
    await store.append(room, updates[2]!);
    const both = await Promise.all([store.compact(room), store.compact(room)]);
    expect(both).toContain(true);
    expect(await store.load(room)).toHaveLength(1);
    expect(rebuild(await store.load(room))).toEqual(['a', 'b', 'c']);
  });
});
