import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { describeRoomEvent, listRoomEvents } from '../../src/lib/chat/room-events';
import { roomTypes } from '../../src/lib/chat/schema';
import { hashPassword } from '../../src/lib/server/auth/password';
import { validateSessionToken, createSession } from '../../src/lib/server/auth/session';
import { getRole, listFormerMembers } from '../../src/lib/server/rooms';
import { insertUser } from '../../src/lib/server/users';
import { DELETE as deleteMe } from '../../src/routes/api/me/+server';
import { POST as register } from '../../src/routes/api/auth/register/+server';
import { POST as createRoom } from '../../src/routes/api/rooms/+server';
import { POST as addMember } from '../../src/routes/api/rooms/[id]/members/+server';
import { call, errorOf } from '../helpers/route';
import { syncSuite } from '../helpers/server';
import { waitFor } from '../helpers/sync-client';

/** DELETE /api/me: the account goes, its messages stay as "Deleted user" or are erased. */

const PASSWORD = 'correct horse battery';
const suite = syncSuite();

async function person(username: string) {
  const user = (await insertUser(suite.db.sql, username, await hashPassword(PASSWORD)))!;
  const { token } = await createSession(suite.db.sql, user.id);
  return { ...user, token };
}

const client = (roomId: string, token: string) => suite.client(roomId, token);

const texts = (doc: Y.Doc) => listMessages(doc).map((m) => m.text);

it('keeps the messages of a deleted account under "Deleted user", ends its sessions and frees its username; a wrong password deletes nothing', async () => {
  const ana = await person('ad_ana');
  const ben = await person('ad_ben');
  const { room } = (await (await call(createRoom, { user: ana, body: { name: 'Shed' } })).json()) as { room: { id: string } };
  await call(addMember, { user: ana, params: { id: room.id }, body: { username: 'ad_ben' } });
  const b = client(room.id, ben.token);
  await waitFor(() => b.provider.synced, 5000, 'synced');
  sendMessage(b.doc, { author: ben.id, text: 'the key is under the pot' });
  const a = client(room.id, ana.token);
  await waitFor(() => a.provider.synced && texts(a.doc).length === 1, 5000, 'ana has it');

  expect(await errorOf(await call(deleteMe, { user: ben, body: { password: 'wrong' }, method: 'DELETE' }))).toMatchObject({ status: 403, code: 'wrong_password' });
  expect(await validateSessionToken(suite.db.sql, ben.token)).not.toBeNull();

  expect((await call(deleteMe, { user: ben, body: { password: PASSWORD }, method: 'DELETE' })).status).toBe(204);
  expect(await validateSessionToken(suite.db.sql, ben.token)).toBeNull();
  await waitFor(() => b.closes.length > 0, 5000, 'his socket closed');
  expect(await getRole(suite.db.sql, room.id, ben.id)).toBeNull();
  expect(await listFormerMembers(suite.db.sql, room.id)).toEqual([{ id: ben.id, username: 'Deleted user' }]);
  await waitFor(() => listRoomEvents(roomTypes(a.doc).events).some((e) => e.kind === 'left'), 2000, 'left line');
  expect(describeRoomEvent(listRoomEvents(roomTypes(a.doc).events).at(-1)!, ana.id)).toBe('Deleted user left');
  expect(texts(a.doc)).toEqual(['the key is under the pot']);
  // The name is free for someone new.
  expect((await call(register, { body: { username: 'ad_ben', password: PASSWORD } })).status).toBe(201);
});

it('erases the text of everything the account wrote when asked, and hands its groups to the longest-standing admin', async () => {
  const olga = await person('ad_olga');
  const pia = await person('ad_pia');
  const quin = await person('ad_quin');
  const { room } = (await (await call(createRoom, { user: olga, body: { name: 'Bakery' } })).json()) as { room: { id: string } };
  await call(addMember, { user: olga, params: { id: room.id }, body: { username: 'ad_pia' } });
  await call(addMember, { user: olga, params: { id: room.id }, body: { username: 'ad_quin' } });
  await suite.db.sql`update room_members set role = 'admin' where room_id = ${room.id} and user_id = ${quin.id}`;
  const o = client(room.id, olga.token);
  await waitFor(() => o.provider.synced, 5000, 'synced');
  sendMessage(o.doc, { author: olga.id, text: 'my secret recipe' });
  sendMessage(o.doc, { author: olga.id, text: 'two eggs' });
  const p = client(room.id, pia.token);
  await waitFor(() => p.provider.synced && texts(p.doc).length === 2, 5000, 'pia has them');
  sendMessage(p.doc, { author: pia.id, text: 'thanks!' });
  await waitFor(() => texts(o.doc).length === 3, 5000, 'olga has it');

  expect((await call(deleteMe, { user: olga, body: { password: PASSWORD, eraseMessages: true }, method: 'DELETE' })).status).toBe(204);
  // Pia's open copy loses Olga's messages at once; her own stays.
  await waitFor(() => texts(p.doc).length === 1, 5000, 'erased');
  expect(texts(p.doc)).toEqual(['thanks!']);
  expect(await getRole(suite.db.sql, room.id, quin.id)).toBe('owner');
  await waitFor(() => listRoomEvents(roomTypes(p.doc).events).length >= 5, 2000, 'lines');
  expect(listRoomEvents(roomTypes(p.doc).events).slice(-2).map((e) => describeRoomEvent(e, pia.id))).toEqual(['Deleted user made ad_quin the owner', 'Deleted user left']);

  // A client with nothing sees nothing of it either.
  const fresh = client(room.id, pia.token);
  await waitFor(() => fresh.provider.synced, 5000, 'synced');
  expect(texts(fresh.doc)).toEqual(['thanks!']);
});
