import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { decodeFrame, encodeFrame } from '../../src/lib/protocol/frames';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { PostgresUpdateStore } from '../../sync-server/storage/postgres-update-store';
import { GatedStore } from '../helpers/gated-store';
import { startSyncServer, syncSuite } from '../helpers/server';
import { closeCodeOf, connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

const suite = syncSuite();
const client = (roomId: string, token: string | null, doc?: Y.Doc): TestClient => suite.client(roomId, token, doc);

async function roomWith(...names: string[]) {
  const users = [];
  for (const n of names) users.push(await makeUser(suite.db.sql, `${n}_${Math.random().toString(36).slice(2, 7)}`));
  const room = await createRoom(suite.db.sql, users[0]!.id, 'Test room');
  for (const u of users.slice(1)) await addMember(suite.db.sql, room.id, u.id);
  return { room, users };
}

describe('sync server (SPEC 1-4)', () => {
  it('two members converge: messages from each reach the other in one order', async () => {
    const { room, users } = await roomWith('ana', 'bo');
    const a = client(room.id, users[0]!.token);
    const b = client(room.id, users[1]!.token);
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'both synced');

    sendMessage(a.doc, { author: users[0]!.id, text: 'hello from ana' });
    await waitFor(() => listMessages(b.doc).length === 1, 5000, 'bo receives');
    sendMessage(b.doc, { author: users[1]!.id, text: 'hi ana' });
    sendMessage(a.doc, { author: users[0]!.id, text: 'how are you?' });
    await waitFor(() => listMessages(a.doc).length === 3 && listMessages(b.doc).length === 3, 5000, 'both have 3');

    expect(listMessages(a.doc)).toEqual(listMessages(b.doc));
    expect(listMessages(b.doc)[0]).toMatchObject({ author: users[0]!.id, text: 'hello from ana' });
  });

  it('three members writing bursts at once all end with every message, each once (forwards merged per commit)', async () => {
    const { room, users } = await roomWith('ana', 'bo', 'cy');
    const clients = users.map((u) => client(room.id, u.token));
    await waitFor(() => clients.every((c) => c.provider.synced), 5000, 'all synced');
    // Bursts in the same tick land in the same group commit, so the server merges them.
    for (let i = 0; i < 30; i++) clients.forEach((c, k) => sendMessage(c.doc, { author: users[k]!.id, text: `${k}:${i}` }));
    await waitFor(() => clients.every((c) => listMessages(c.doc).length === 90), 10_000, 'everyone has 90');
    const texts = listMessages(clients[0]!.doc).map((m) => m.text);
    expect(new Set(texts).size).toBe(90);
    for (const c of clients) expect(listMessages(c.doc)).toEqual(listMessages(clients[0]!.doc));
  });

  it('SPEC 9: acknowledges an update only once it is stored, naming the client and clock', async () => {
    const { room, users } = await roomWith('cy');
    // Its own server, whose commits the test holds back as a slow database would.
    const store = new GatedStore(new PostgresUpdateStore(suite.db.sql));
    const server = await startSyncServer(suite.db, {}, {}, store);
    const c = connectClient(server.url, room.id, users[0]!.token);
    const stored = async () => (await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_updates where room_id = ${room.id}`)[0]!.n;
    try {
      await waitFor(() => c.provider.synced, 5000, 'synced');
      store.hold();
      sendMessage(c.doc, { author: users[0]!.id, text: 'durable?' });
      const clock = Y.getState(c.doc.store, c.doc.clientID);
      await waitFor(() => store.waiting > 0, 5000, 'the server asks to store the update');
      // Time for an early ack to cross loopback: none comes while the commit is held.
      await new Promise((r) => setTimeout(r, 300));
      expect(c.acks.size).toBe(0);
      expect(await stored()).toBe(0);

      store.release();
      await waitFor(() => c.acks.size > 0, 5000, 'ack');
      // The row is there as soon as the ack is: nothing acked was only in memory.
      expect(await stored()).toBe(1);
      expect(Object.fromEntries(c.acks)).toEqual({ [c.doc.clientID]: clock });
    } finally {
      store.release();
      c.destroy();
      await server.close();
    }
  });

  it('refuses a connection without a session with 4401, before sending document data', async () => {
    const { room } = await roomWith('dee');
    const result = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/${room.id}`, null);
    expect(result.code).toBe(4401);
    expect(result.received).toBe(0);
    const forged = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/${room.id}`, 'abc.def');
    expect(forged.code).toBe(4401);
  });

  it('refuses a non-member with 4403 and an unknown room with 4404, sending nothing', async () => {
    const { room } = await roomWith('eve');
    const outsider = await makeUser(suite.db.sql, `mallory_${Date.now()}`);
    const denied = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/${room.id}`, outsider.token);
    expect(denied).toMatchObject({ code: 4403, received: 0 });
    const unknown = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/00000000-0000-0000-0000-000000000000`, outsider.token);
    expect(unknown).toMatchObject({ code: 4404, received: 0 });
  });

  it('closes a malformed frame with 4400 and an oversized one with 1009; others keep chatting', async () => {
    const { room, users } = await roomWith('fay', 'gus');
    const a = client(room.id, users[0]!.token);
    const b = client(room.id, users[1]!.token);
    await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'synced');
    const url = `${suite.server.url.replace('http', 'ws')}/sync/${room.id}`;

    const garbage = await closeCodeOf(url, users[0]!.token, (ws) => ws.send(new Uint8Array([0, 2, 200, 1, 2, 3])));
    expect(garbage.code).toBe(4400);
    const unknownType = await closeCodeOf(url, users[0]!.token, (ws) => ws.send(new Uint8Array([77])));
    expect(unknownType.code).toBe(4400);
    const huge = await closeCodeOf(url, users[0]!.token, (ws) => ws.send(new Uint8Array(1024 * 1024 + 10)));
    expect(huge.code).toBe(1009);

    sendMessage(a.doc, { author: users[0]!.id, text: 'still here' });
    await waitFor(() => listMessages(b.doc).length === 1, 5000, 'message after attacks');
  });

  it('refuses an update that depends on changes the server does not have, storing nothing', async () => {
    const { room, users } = await roomWith('hal');
    const honest = await syncedClient(room.id, users[0]!.token);
    // Two edits from one client; sending only the second leaves a gap.
    const { second } = twoEdits(users[0]!.id, 'one', 'two');
    const frame = encodeFrame({ kind: 'update', update: second });
    // It waits for the connection's sync step 2 (SPEC 5.1), which does not carry the first edit.
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    const result = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/${room.id}`, users[0]!.token, (ws) => {
      ws.send(frame);
      ws.send(encodeFrame({ kind: 'sync-step-2', update: empty }));
    });
    expect(result.code).toBe(4400);
    expect(result.reason).toMatch(/depends on changes the server does not have/);
    const [row] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_updates where room_id = ${room.id}`;
    expect(row!.n).toBe(0);
    expect(listMessages(honest.doc)).toEqual([]);
  });

  it('takes an update that overtook its own sync step 2 once the step 2 brings what it builds on', async () => {
    const { room, users } = await roomWith('hap');
    const honest = await syncedClient(room.id, users[0]!.token);
    // Written offline, then a new message typed the moment the server's step 2 arrived.
    const { doc, first, second } = twoEdits(users[0]!.id, 'written offline', 'typed on reconnect');
    const ws = new WebSocket(`${suite.server.url.replace('http', 'ws')}/sync/${room.id}`, { headers: { authorization: `Bearer ${users[0]!.token}` } });
    const closes: number[] = [];
    let acked = 0;
    ws.on('close', (code) => closes.push(code));
    ws.on('message', (data: Buffer) => {
      const decoded = decodeFrame(new Uint8Array(data));
      if (decoded.ok && decoded.frame.kind === 'ack' && decoded.frame.client === doc.clientID) acked = Math.max(acked, decoded.frame.clock);
    });
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(encodeFrame({ kind: 'update', update: second }));
    await new Promise((r) => setTimeout(r, 200));
    ws.send(encodeFrame({ kind: 'sync-step-2', update: first }));
    await waitFor(() => listMessages(honest.doc).length === 2, 5000, 'both messages reach the other device');
    expect(listMessages(honest.doc).map((m) => m.text)).toEqual(['written offline', 'typed on reconnect']);
    await waitFor(() => acked === Y.getState(doc.store, doc.clientID), 5000, 'both acknowledged');
    expect(closes).toEqual([]);
    ws.close();
  });

  it('closes a removed member at once with 4403', async () => {
    const { room, users } = await roomWith('ivy', 'jon');
    const j = client(room.id, users[1]!.token);
    await waitFor(() => j.provider.synced, 5000, 'synced');
    await suite.db.sql`delete from room_members where room_id = ${room.id} and user_id = ${users[1]!.id}`;
    suite.server.sync.memberRemoved(room.id, users[1]!.id);
    await waitFor(() => j.closes.some((c) => c.code === 4403), 5000, '4403');
  });

  it('drops awareness states that claim another user', async () => {
    const { room, users } = await roomWith('kim', 'lee');
    const k = client(room.id, users[0]!.token);
    const l = client(room.id, users[1]!.token);
    l.provider.awareness.setLocalState({ user: { id: users[1]!.id, name: 'lee' }, typing: false, active: true });
    k.provider.awareness.setLocalState({ user: { id: users[1]!.id, name: 'lee (forged)' }, typing: true, active: true });
    await waitFor(() => k.provider.synced && l.provider.synced, 5000, 'synced');
    await waitFor(() => k.provider.awareness.getStates().has(l.doc.clientID), 5000, 'honest presence arrives');
    await new Promise((r) => setTimeout(r, 200));
    expect(l.provider.awareness.getStates().has(k.doc.clientID)).toBe(false);
  });
});

describe('durability', () => {
  it('keeps history across a server restart', async () => {
    const { room, users } = await roomWith('max');
    const first = client(room.id, users[0]!.token);
    await waitFor(() => first.provider.synced, 5000, 'synced');
    for (let i = 0; i < 20; i++) sendMessage(first.doc, { author: users[0]!.id, text: `message ${i}` });
    const clock = Y.getState(first.doc.store, first.doc.clientID);
    await waitFor(() => (first.acks.get(first.doc.clientID) ?? 0) >= clock, 5000, 'all acked');
    first.destroy();

    await suite.restart();

    const again = client(room.id, users[0]!.token);
    await waitFor(() => again.provider.synced, 5000, 'synced after restart');
    expect(listMessages(again.doc).map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `message ${i}`));
  });

  it('compacts the log into a snapshot and still serves the full history', async () => {
    await suite.restart({ compactAfterUpdates: 10 });
    const { room, users } = await roomWith('ned');
    const c = client(room.id, users[0]!.token);
    await waitFor(() => c.provider.synced, 5000, 'synced');
    for (let i = 0; i < 25; i++) {
      sendMessage(c.doc, { author: users[0]!.id, text: `m${i}` });
      const clock = Y.getState(c.doc.store, c.doc.clientID);
      await waitFor(() => (c.acks.get(c.doc.clientID) ?? 0) >= clock, 5000, 'ack');
    }
    await waitFor(() => true, 0);
    const snapshot = async () => (await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_snapshots where room_id = ${room.id}`)[0]!.n;
    const start = Date.now();
    while ((await snapshot()) === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(await snapshot()).toBe(1);
    const [log] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_updates where room_id = ${room.id}`;
    expect(log!.n).toBeLessThan(25);

    const fresh = client(room.id, users[0]!.token);
    await waitFor(() => fresh.provider.synced && listMessages(fresh.doc).length === 25, 5000, 'fresh client has all');
    expect(listMessages(fresh.doc).map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });
});

async function syncedClient(roomId: string, token: string): Promise<TestClient> {
  const c = client(roomId, token);
  await waitFor(() => c.provider.synced, 5000, 'synced');
  return c;
}

/** Two messages from one new Yjs client: the first (all of it so far) and the second on its own. */
function twoEdits(author: string, one: string, two: string): { doc: Y.Doc; first: Uint8Array; second: Uint8Array } {
  const doc = new Y.Doc();
  sendMessage(doc, { author, text: one });
  const first = Y.encodeStateAsUpdate(doc);
  const before = Y.encodeStateVector(doc);
  sendMessage(doc, { author, text: two });
  return { doc, first, second: Y.encodeStateAsUpdate(doc, before) };
}

