import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { POST as openDm } from '../../src/routes/api/dms/+server';
import { POST as createRoom } from '../../src/routes/api/rooms/+server';
import { DELETE as deleteRoom } from '../../src/routes/api/rooms/[id]/+server';
import { POST as addMember } from '../../src/routes/api/rooms/[id]/members/+server';
import { DELETE as removeMember } from '../../src/routes/api/rooms/[id]/members/[userId]/+server';
import { getRuntime } from '../../src/lib/server/runtime';
import { Close } from '../../src/lib/protocol/close-codes';
import { decodeUserFrame, USER_CHANNEL_PATH, type UserFrame } from '../../src/lib/protocol/user-channel';
import type { PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { call } from '../helpers/route';
import { startInstance } from '../helpers/server';
import { waitFor } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/** SPEC 22: the user channel tells every open Porch of a user, on any instance, what happened to their rooms. */

type Rooms = Extract<UserFrame, { type: 'rooms' }>['rooms'];

let db: TestDatabase;
const servers: (PorchServer & { url: string })[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  // Two instances through Redis; the API runs on the second (the runtime the last one set).
  servers.push(await startInstance(db, { redis: true }), await startInstance(db, { redis: true }));
});
afterAll(async () => {
  for (const s of sockets) s.terminate();
  for (const s of servers) await s.close().catch(() => {});
  await db?.close();
});

/** A user channel on `server`, remembering every list it was sent and how it closed. */
function channel(server: { url: string }, token: string | null) {
  const ws = new WebSocket(server.url.replace('http', 'ws') + USER_CHANNEL_PATH, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  sockets.push(ws);
  const seen = { lists: [] as Rooms[], closed: null as { code: number; reason: string } | null };
  ws.on('message', (data) => {
    const frame = decodeUserFrame(String(data));
    if (frame?.type === 'rooms') seen.lists.push(frame.rooms);
  });
  ws.on('close', (code, reason) => (seen.closed = { code, reason: reason.toString() }));
  return {
    ws,
    seen,
    /** The last list sent, as room names. */
    names: () => seen.lists.at(-1)?.map((r) => r.name) ?? null
  };
}

it('lists the rooms on connect, then again at once when a room is created, joined, left or deleted, across instances', async () => {
  const [one] = servers as [PorchServer & { url: string }];
  const ana = await makeUser(db.sql, 'uc_ana');
  const ben = await makeUser(db.sql, 'uc_ben');
  const anaPhone = channel(one, ana.token);
  const benLaptop = channel(one, ben.token);
  await waitFor(() => anaPhone.names() !== null && benLaptop.names() !== null, 5000, 'first lists');
  expect(benLaptop.names()).toEqual([]);

  // Ana creates a room on another instance: her phone lists it.
  const created = await call(createRoom, { user: ana, body: { name: 'Garden' } });
  const { room } = (await created.json()) as { room: { id: string } };
  await waitFor(() => anaPhone.names()?.includes('Garden') === true, 2000, 'own new room listed');

  // Ben is added: his open Porch shows the room without a reload, with its member count.
  await call(addMember, { user: ana, params: { id: room.id }, body: { username: 'uc_ben' } });
  await waitFor(() => benLaptop.names()?.includes('Garden') === true, 2000, 'added room listed');
  expect(benLaptop.seen.lists.at(-1)![0]).toMatchObject({ id: room.id, name: 'Garden', kind: 'group', role: 'member', memberCount: 2 });
  await waitFor(() => anaPhone.seen.lists.at(-1)?.[0]?.memberCount === 2, 2000, 'owner sees the new count');

  // A DM: both lists show it, each named after the other person.
  await call(openDm, { user: ben, body: { username: 'uc_ana' } });
  await waitFor(() => anaPhone.names()?.includes('uc_ben') === true && benLaptop.names()?.includes('uc_ana') === true, 2000, 'DM listed on both');

  // Ben is removed: the room leaves his list.
  await call(removeMember, { user: ana, params: { id: room.id, userId: ben.id }, method: 'DELETE' });
  await waitFor(() => benLaptop.names()?.includes('Garden') === false, 2000, 'removed room unlisted');

  // Ana deletes the room: gone from her list too; the DM stays.
  await call(deleteRoom, { user: ana, params: { id: room.id }, method: 'DELETE' });
  await waitFor(() => anaPhone.names()?.includes('Garden') === false, 2000, 'deleted room unlisted');
  expect(anaPhone.names()).toEqual(['uc_ben']);
  expect(anaPhone.seen.closed).toBeNull();
});

it('refuses a socket without a session (4401), closes on sign-out (4401), and takes no messages (4400)', async () => {
  const [one] = servers as [PorchServer & { url: string }];
  const nobody = channel(one, null);
  await waitFor(() => nobody.seen.closed !== null, 5000, 'refused');
  expect(nobody.seen.closed!.code).toBe(Close.Unauthorized.code);
  expect(nobody.seen.lists).toEqual([]);

  const cy = await makeUser(db.sql, 'uc_cy');
  const talker = channel(one, cy.token);
  await waitFor(() => talker.seen.lists.length > 0, 5000, 'listed');
  talker.ws.send('hello');
  await waitFor(() => talker.seen.closed !== null, 5000, 'closed');
  expect(talker.seen.closed!.code).toBe(Close.BadMessage.code);

  const quiet = channel(one, cy.token);
  await waitFor(() => quiet.seen.lists.length > 0, 5000, 'listed');
  getRuntime().access.sessionsEnded(cy.id);
  await waitFor(() => quiet.seen.closed !== null, 5000, 'closed by the other instance');
  expect(quiet.seen.closed!.code).toBe(Close.Unauthorized.code);
});

it('sends one fresh list for a burst of changes, and the last list is always the current one', async () => {
  const [one] = servers as [PorchServer & { url: string }];
  const dee = await makeUser(db.sql, 'uc_dee');
  const tab = channel(one, dee.token);
  await waitFor(() => tab.seen.lists.length === 1, 5000, 'first list');
  const names = Array.from({ length: 20 }, (_, i) => `Burst ${i}`);
  await Promise.all(names.map((name) => call(createRoom, { user: dee, body: { name } })));
  await waitFor(() => tab.names()?.length === 20, 3000, 'all twenty listed');
  // Twenty creations, read from Postgres a few times at most rather than twenty.
  expect(tab.seen.lists.length).toBeLessThan(1 + 20);
  expect(new Set(tab.names())).toEqual(new Set(names));
});
