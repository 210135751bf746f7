import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { describeRoomEvent, listRoomEvents } from '../../src/lib/chat/room-events';
import { roomTypes } from '../../src/lib/chat/schema';
import { POST as createRoom } from '../../src/routes/api/rooms/+server';
import { POST as addMember } from '../../src/routes/api/rooms/[id]/members/+server';
import { DELETE as removeMember } from '../../src/routes/api/rooms/[id]/members/[userId]/+server';
import { Close } from '../../src/lib/protocol/close-codes';
import type { PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { call } from '../helpers/route';
import { startInstance } from '../helpers/server';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/** SPEC 7.9: membership changes are lines in the room's own document, written by the server. */

let db: TestDatabase;
const servers: (PorchServer & { url: string })[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  servers.push(await startInstance(db, { redis: true }), await startInstance(db, { redis: true }));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of servers) await s.close().catch(() => {});
  await db?.close();
});

function client(server: { url: string }, roomId: string, token: string): TestClient {
  const c = connectClient(server.url, roomId, token);
  clients.push(c);
  return c;
}

const lines = (doc: Y.Doc, meId: string) => listRoomEvents(roomTypes(doc).events).map((e) => describeRoomEvent(e, meId));

it('records created, added, removed and left in the room document, in order, on every instance and after a restart', async () => {
  const [one] = servers as [PorchServer & { url: string }];
  const ana = await makeUser(db.sql, 're_ana');
  const ben = await makeUser(db.sql, 're_ben');
  const cy = await makeUser(db.sql, 're_cy');
  // The API runs on instance two; Ana's client is on instance one.
  const { room } = (await (await call(createRoom, { user: ana, body: { name: 'Orchard' } })).json()) as { room: { id: string } };
  const a = client(one, room.id, ana.token);
  await waitFor(() => a.provider.synced, 5000, 'synced');
  expect(lines(a.doc, ana.id)).toEqual(['You created the room “Orchard”']);

  await call(addMember, { user: ana, params: { id: room.id }, body: { username: 're_ben' } });
  await call(addMember, { user: ana, params: { id: room.id }, body: { username: 're_cy' } });
  await waitFor(() => lines(a.doc, ana.id).length === 3, 2000, 'additions reach the open client through the other instance');
  await call(removeMember, { user: ana, params: { id: room.id, userId: cy.id }, method: 'DELETE' });
  await call(removeMember, { user: ben, params: { id: room.id, userId: ben.id }, method: 'DELETE' });
  await waitFor(() => lines(a.doc, ana.id).length === 5, 2000, 'removal and leaving');
  const expected = ['You created the room “Orchard”', 'You added re_ben', 'You added re_cy', 'You removed re_cy', 're_ben left'];
  expect(lines(a.doc, ana.id)).toEqual(expected);

  // Stored: a fresh instance (nothing in memory) serves them to a client with nothing.
  const fresh = await startInstance(db);
  servers.push(fresh);
  const later = client(fresh, room.id, ana.token);
  await waitFor(() => later.provider.synced, 5000, 'synced');
  expect(lines(later.doc, ana.id)).toEqual(expected);
});

it('refuses a member who writes or deletes a room event (4400) and keeps the event', async () => {
  const [one] = servers as [PorchServer & { url: string }];
  const olga = await makeUser(db.sql, 're_olga');
  const { room } = (await (await call(createRoom, { user: olga, body: { name: 'Plots' } })).json()) as { room: { id: string } };
  const forger = client(one, room.id, olga.token);
  await waitFor(() => forger.provider.synced && lines(forger.doc, olga.id).length === 1, 5000, 'synced');
  const [created] = listRoomEvents(roomTypes(forger.doc).events);
  roomTypes(forger.doc).events.delete(created!.id);
  await waitFor(() => forger.closes.length > 0, 5000, 'closed');
  expect(forger.closes[0]).toMatchObject({ code: Close.BadMessage.code, reason: 'Only the server records room events' });

  const check = client(one, room.id, olga.token);
  await waitFor(() => check.provider.synced, 5000, 'synced');
  expect(lines(check.doc, olga.id)).toEqual(['You created the room “Plots”']);
});
