import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { encodeFrame } from '../../src/lib/protocol/frames';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import type { PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startInstance, type InstanceOptions } from '../helpers/server';
import { closeCodeOf, connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/**
 * SPEC 7.1: a clientID belongs to the first user who wrote with it, in every state a room
 * can be in on the instance that judges: its doc built, its doc not built yet (answered from
 * the stored state), after a restart, and on an instance that only heard of the first
 * writes through Redis. The cheat is a member who takes another member's clientID and goes
 * on from that member's last clock, sent over a raw socket.
 */

let db: TestDatabase;
const servers: PorchServer[] = [];
const clients: TestClient[] = [];

async function instance(options: InstanceOptions = {}): Promise<PorchServer & { url: string }> {
  const server = await startInstance(db, options);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.close().catch(() => {});
  await db?.close();
});

/** A room where ana wrote a message (acked); returns her doc's state and clientID. */
async function roomWithAna(url: string) {
  const tag = Math.random().toString(36).slice(2, 7);
  const ana = await makeUser(db.sql, `bind_ana_${tag}`);
  const bo = await makeUser(db.sql, `bind_bo_${tag}`);
  const room = await createRoom(db.sql, ana.id, 'Bindings');
  await addMember(db.sql, room.id, bo.id);
  const a = connectClient(url, room.id, ana.token);
  clients.push(a);
  await waitFor(() => a.provider.synced, 5000, 'ana synced');
  sendMessage(a.doc, { author: ana.id, text: 'hello from ana' });
  const clock = Y.getState(a.doc.store, a.doc.clientID);
  await waitFor(() => (a.acks.get(a.doc.clientID) ?? 0) >= clock, 5000, 'ana acked');
  const state = Y.encodeStateAsUpdate(a.doc);
  const anaClient = a.doc.clientID;
  a.destroy();
  return { room, ana, bo, state, anaClient };
}

/** bo's cheat: ana's doc, ana's clientID, a message of bo's at ana's next clock. */
function forgedFrame(state: Uint8Array, anaClient: number, boId: string): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  doc.clientID = anaClient;
  const before = Y.encodeStateVector(doc);
  sendMessage(doc, { author: boId, text: 'bo, as ana' });
  return encodeFrame({ kind: 'update', update: Y.encodeStateAsUpdate(doc, before) });
}

async function expectRefused(url: string, s: Awaited<ReturnType<typeof roomWithAna>>): Promise<void> {
  const frame = forgedFrame(s.state, s.anaClient, s.bo.id);
  const closed = await closeCodeOf(`${url.replace('http', 'ws')}/sync/${s.room.id}`, s.bo.token, (ws) => ws.send(frame));
  expect(closed).toMatchObject({ code: 4400, reason: 'Client id belongs to another user' });
  // Nothing of it reached the store: a fresh client sees ana's message only.
  const check = connectClient(url, s.room.id, s.ana.token);
  clients.push(check);
  await waitFor(() => check.provider.synced, 5000, 'check synced');
  expect(listMessages(check.doc).map((m) => m.text)).toEqual(['hello from ana']);
}

describe("SPEC 7.1: writing on with another member's clientID is refused", () => {
  it('in a room whose doc is built', async () => {
    const server = await instance();
    const s = await roomWithAna(server.url);
    await expectRefused(server.url, s);
  });

  it('in a room answered from its stored state (doc not built yet)', async () => {
    const server = await instance({ sync: { roomIdleMs: 50 } });
    const s = await roomWithAna(server.url);
    // The room unloads once ana is gone; the next socket loads only its stored state.
    await waitFor(() => server.sync.stats.rooms === 0, 5000, 'room unloaded');
    await expectRefused(server.url, s);
  });

  it('after a restart', async () => {
    const first = await instance();
    const s = await roomWithAna(first.url);
    await first.close();
    const second = await instance();
    await expectRefused(second.url, s);
  });

  it('on another instance, which heard of the first writes through Redis', async () => {
    const one = await instance({ redis: true });
    const two = await instance({ redis: true });
    const tag = Math.random().toString(36).slice(2, 7);
    const ana = await makeUser(db.sql, `bind2_ana_${tag}`);
    const bo = await makeUser(db.sql, `bind2_bo_${tag}`);
    const room = await createRoom(db.sql, ana.id, 'Bindings across');
    await addMember(db.sql, room.id, bo.id);
    // bo holds the room open on instance two (its doc built) while ana writes on instance one.
    const b = connectClient(two.url, room.id, bo.token);
    clients.push(b);
    const a = connectClient(one.url, room.id, ana.token);
    clients.push(a);
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'synced');
    sendMessage(b.doc, { author: bo.id, text: 'bo is here' });
    await waitFor(() => listMessages(a.doc).length === 1, 5000, 'bo -> one');
    sendMessage(a.doc, { author: ana.id, text: 'hello from ana' });
    await waitFor(() => listMessages(b.doc).length === 2, 5000, 'ana -> two');
    const frame = forgedFrame(Y.encodeStateAsUpdate(a.doc), a.doc.clientID, bo.id);
    const closed = await closeCodeOf(`${two.url.replace('http', 'ws')}/sync/${room.id}`, bo.token, (ws) => ws.send(frame));
    expect(closed).toMatchObject({ code: 4400, reason: 'Client id belongs to another user' });
    await new Promise((r) => setTimeout(r, 100));
    expect(listMessages(a.doc).map((m) => m.text)).toEqual(['bo is here', 'hello from ana']);
  });
});
