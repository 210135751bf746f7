import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { createSession } from '../../src/lib/server/auth/session';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { getRuntime } from '../../src/lib/server/runtime';
import type { PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startInstance } from '../helpers/server';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

let db: TestDatabase;
const servers: PorchServer[] = [];
const clients: TestClient[] = [];

async function instance(): Promise<PorchServer & { url: string }> {
  const server = await startInstance(db, { redis: true });
  servers.push(server);
  return server;
}

function client(url: string, roomId: string, token: string, doc?: Y.Doc): TestClient {
  const c = connectClient(url, roomId, token, doc);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.close().catch(() => {});
  await db?.close();
});

it('two instances share rooms through Redis: messages and typing cross both ways; a dead instance loses nothing', async () => {
  const one = await instance();
  const two = await instance();
  const ana = await makeUser(db.sql, 'multi_ana');
  const bo = await makeUser(db.sql, 'multi_bo');
  const room = await createRoom(db.sql, ana.id, 'Across');
  await addMember(db.sql, room.id, bo.id);

  const a = client(one.url, room.id, ana.token);
  const b = client(two.url, room.id, bo.token);
  await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'synced');

  sendMessage(a.doc, { author: ana.id, text: 'from instance one' });
  await waitFor(() => listMessages(b.doc).length === 1, 5000, 'one -> two');
  sendMessage(b.doc, { author: bo.id, text: 'from instance two' });
  await waitFor(() => listMessages(a.doc).length === 2, 5000, 'two -> one');

  b.provider.awareness.setLocalState({ user: { id: bo.id, name: 'bo' }, typing: true, active: true });
  await waitFor(() => (a.provider.awareness.getStates().get(b.doc.clientID) as { typing?: boolean } | undefined)?.typing === true, 5000, 'typing crosses');

  // Instance one dies; Ana's client comes back through instance two with what it wrote meanwhile.
  sendMessage(a.doc, { author: ana.id, text: 'just before the crash' });
  const last = Y.getState(a.doc.store, a.doc.clientID);
  await waitFor(() => (a.acks.get(a.doc.clientID) ?? 0) >= last, 5000, 'acked before the crash');
  await one.close();
  a.provider.destroy();
  sendMessage(a.doc, { author: ana.id, text: 'written while reconnecting' });
  const moved = client(two.url, room.id, ana.token, a.doc);
  const final = Y.getState(a.doc.store, a.doc.clientID);
  await waitFor(() => (moved.acks.get(a.doc.clientID) ?? 0) >= final, 5000, 'acked by instance two');
  await waitFor(() => listMessages(b.doc).length === 4, 5000, 'bo sees everything');
  expect(listMessages(b.doc).map((m) => m.text)).toEqual(['from instance one', 'from instance two', 'just before the crash', 'written while reconnecting']);
  expect(listMessages(a.doc)).toEqual(listMessages(b.doc));
});

it('removing a member on one instance closes their socket on the other with 4403', async () => {
  const one = await instance();
  const two = await instance();
  const owner = await makeUser(db.sql, 'multi_owner');
  const guest = await makeUser(db.sql, 'multi_guest');
  const room = await createRoom(db.sql, owner.id, 'Access');
  await addMember(db.sql, room.id, guest.id);
  const g = client(one.url, room.id, guest.token);
  await waitFor(() => g.provider.synced, 5000, 'synced');
  await db.sql`delete from room_members where room_id = ${room.id} and user_id = ${guest.id}`;
  // The runtime is the last started instance's (two): as if the API request went to two.
  expect(two.port).not.toBe(one.port);
  getRuntime().access.memberRemoved(room.id, guest.id);
  await waitFor(() => g.closes.some((c) => c.code === 4403), 5000, '4403 on the other instance');
});

it('a password change or sign-out on one instance closes the sockets on the other with 4401', async () => {
  const one = await instance();
  const two = await instance();
  const ana = await makeUser(db.sql, 'multi_pw');
  const room = await createRoom(db.sql, ana.id, 'Sessions');
  const laptop = client(one.url, room.id, ana.token);
  await waitFor(() => laptop.provider.synced, 5000, 'synced');
  // Sign-out of that one session (the runtime is instance two's).
  expect(two.port).not.toBe(one.port);
  const sessionId = ana.token.split('.')[0]!;
  getRuntime().access.sessionEnded(sessionId);
  await waitFor(() => laptop.closes.some((c) => c.code === 4401), 5000, '4401 after sign-out elsewhere');

  // Every session of the user: both of their sockets on instance one close.
  const { token } = await createSession(db.sql, ana.id);
  const phone = client(one.url, room.id, token);
  const tablet = client(one.url, room.id, token);
  await waitFor(() => phone.provider.synced && tablet.provider.synced, 5000, 'synced again');
  getRuntime().access.sessionsEnded(ana.id);
  await waitFor(() => [phone, tablet].every((c) => c.closes.some((x) => x.code === 4401)), 5000, '4401 after a password change elsewhere');
});
