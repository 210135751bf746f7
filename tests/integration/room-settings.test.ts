import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage } from '../../src/lib/chat/edits';
import { sendMessage } from '../../src/lib/chat/messages';
import { describeRoomEvent, listRoomEvents } from '../../src/lib/chat/room-events';
import { roomTypes } from '../../src/lib/chat/schema';
import { Close } from '../../src/lib/protocol/close-codes';
import { POST as createRoom } from '../../src/routes/api/rooms/+server';
import { PATCH as changeRoom } from '../../src/routes/api/rooms/[id]/+server';
import { POST as addMember } from '../../src/routes/api/rooms/[id]/members/+server';
import { DELETE as removeMember, PATCH as changeRole } from '../../src/routes/api/rooms/[id]/members/[userId]/+server';
import { getRole, getRoom } from '../../src/lib/server/rooms';
import { call, errorOf } from '../helpers/route';
import { syncSuite } from '../helpers/server';
import { waitFor } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/** Room settings by API: rename, description, roles and handing the room over. */

const suite = syncSuite();
const client = (roomId: string, token: string) => suite.client(roomId, token);

async function roomOf(owner: { id: string; username: string }, name: string, ...members: string[]): Promise<string> {
  const { room } = (await (await call(createRoom, { user: owner, body: { name } })).json()) as { room: { id: string } };
  for (const username of members) await call(addMember, { user: owner, params: { id: room.id }, body: { username } });
  return room.id;
}

const lines = (doc: Y.Doc, meId: string) => listRoomEvents(roomTypes(doc).events).map((e) => describeRoomEvent(e, meId));

it('an owner or admin renames a room and changes its description, with clear errors for bad input; a member may not', async () => {
  const ana = await makeUser(suite.db.sql, 'rs_ana');
  const ben = await makeUser(suite.db.sql, 'rs_ben');
  const id = await roomOf(ana, 'Plot 7', 'rs_ben');
  const a = client(id, ana.token);
  await waitFor(() => a.provider.synced, 5000, 'synced');

  expect(await errorOf(await call(changeRoom, { user: ana, params: { id }, body: { name: '  ' }, method: 'PATCH' }))).toMatchObject({ status: 400, message: 'Name must not be empty' });
  expect(await errorOf(await call(changeRoom, { user: ana, params: { id }, body: { topic: 'x'.repeat(301) }, method: 'PATCH' }))).toMatchObject({ status: 400, message: 'Topic must be at most 300 characters' });
  expect(await errorOf(await call(changeRoom, { user: ana, params: { id }, body: {}, method: 'PATCH' }))).toMatchObject({ status: 400, message: 'Send a name and/or a topic' });
  expect(await errorOf(await call(changeRoom, { user: ben, params: { id }, body: { name: 'Mine now' }, method: 'PATCH' }))).toMatchObject({ status: 403 });

  const renamed = await call(changeRoom, { user: ana, params: { id }, body: { name: ' Plot 7b ', topic: 'Beans and courgettes' }, method: 'PATCH' });
  expect(renamed.status).toBe(200);
  expect(await getRoom(suite.db.sql, id)).toMatchObject({ name: 'Plot 7b', topic: 'Beans and courgettes' });
  await waitFor(() => lines(a.doc, ana.id).length === 4, 2000, 'events');
  expect(lines(a.doc, ben.id).slice(2)).toEqual(['rs_ana renamed the room to “Plot 7b”', 'rs_ana changed the description to “Beans and courgettes”']);
});

it('the owner makes an admin, whose open socket reconnects and may then delete others’ messages; an admin cannot give roles', async () => {
  const ana = await makeUser(suite.db.sql, 'rs2_ana');
  const ben = await makeUser(suite.db.sql, 'rs2_ben');
  const cy = await makeUser(suite.db.sql, 'rs2_cy');
  const id = await roomOf(ana, 'Moderated', 'rs2_ben', 'rs2_cy');
  const c = client(id, cy.token);
  const b = client(id, ben.token);
  await waitFor(() => b.provider.synced && c.provider.synced, 5000, 'synced');
  const sent = sendMessage(c.doc, { author: cy.id, text: 'spam' });
  if (!sent.ok) throw new Error('not sent');
  await waitFor(() => roomTypes(b.doc).messages.length === 1, 5000, 'message arrives');

  const made = await call(changeRole, { user: ana, params: { id, userId: ben.id }, body: { role: 'admin' }, method: 'PATCH' });
  expect(made.status).toBe(200);
  await waitFor(() => b.closes.some((e) => e.code === Close.RoleChanged.code), 5000, 'reconnect asked');
  // y-websocket reconnects by itself here (the test client keeps its default policy).
  await waitFor(() => b.provider.wsconnected && b.provider.synced, 5000, 'back');
  expect(deleteMessage(b.doc, { messageId: sent.message.id, userId: ben.id, role: 'admin' })).toEqual({ ok: true });
  await waitFor(() => roomTypes(c.doc).edits.get(sent.message.id) !== undefined, 5000, 'deletion reaches cy');
  expect(b.closes.filter((e) => e.code === Close.BadMessage.code)).toEqual([]);

  expect(await errorOf(await call(changeRole, { user: ben, params: { id, userId: cy.id }, body: { role: 'admin' }, method: 'PATCH' }))).toMatchObject({ status: 403 });
  expect(await errorOf(await call(changeRole, { user: ana, params: { id, userId: cy.id }, body: { role: 'king' }, method: 'PATCH' }))).toMatchObject({ status: 400, message: 'Role must be owner, admin or member' });
  expect(lines(c.doc, cy.id).at(-1)).toBe('rs2_ana made rs2_ben an admin');
});

it('the owner hands the room over, becomes an admin and may then leave; the owner cannot leave before', async () => {
  const ana = await makeUser(suite.db.sql, 'rs3_ana');
  const ben = await makeUser(suite.db.sql, 'rs3_ben');
  const id = await roomOf(ana, 'Handover', 'rs3_ben');
  expect(await errorOf(await call(removeMember, { user: ana, params: { id, userId: ana.id }, method: 'DELETE' }))).toMatchObject({ status: 409, code: 'owner_cannot_leave' });
  expect(await errorOf(await call(changeRole, { user: ana, params: { id, userId: ana.id }, body: { role: 'member' }, method: 'PATCH' }))).toMatchObject({ status: 403 });

  expect((await call(changeRole, { user: ana, params: { id, userId: ben.id }, body: { role: 'owner' }, method: 'PATCH' })).status).toBe(200);
  expect([await getRole(suite.db.sql, id, ben.id), await getRole(suite.db.sql, id, ana.id)]).toEqual(['owner', 'admin']);
  expect((await call(removeMember, { user: ana, params: { id, userId: ana.id }, method: 'DELETE' })).status).toBe(204);

  const b = client(id, ben.token);
  await waitFor(() => b.provider.synced && lines(b.doc, ben.id).length === 4, 5000, 'events');
  expect(lines(b.doc, ben.id).slice(2)).toEqual(['rs3_ana made you the owner', 'rs3_ana left']);
});
