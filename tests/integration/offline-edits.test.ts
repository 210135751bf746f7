import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { syncSuite } from '../helpers/server';
import { waitFor } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

const suite = syncSuite();

it('SPEC 9: a client that comes back after 1,000 offline edits converges and is acked up to its last clock', async () => {
  const ana = await makeUser(suite.db.sql, 'offline_ana');
  const bo = await makeUser(suite.db.sql, 'offline_bo');
  const room = await createRoom(suite.db.sql, ana.id, 'Long tunnel');
  await addMember(suite.db.sql, room.id, bo.id);

  const a = suite.client(room.id, ana.token);
  const b = suite.client(room.id, bo.token);
  await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'synced');

  // Ana goes offline (her provider stops) and keeps writing; Bo keeps chatting meanwhile.
  a.provider.disconnect();
  for (let i = 0; i < 1000; i++) sendMessage(a.doc, { author: ana.id, text: `offline ${i}` });
  for (let i = 0; i < 5; i++) sendMessage(b.doc, { author: bo.id, text: `online ${i}` });
  const last = Y.getState(a.doc.store, a.doc.clientID);

  a.provider.connect();
  await waitFor(() => (a.acks.get(a.doc.clientID) ?? 0) >= last, 20_000, 'ack for the last offline edit');
  await waitFor(() => listMessages(b.doc).length === 1005 && listMessages(a.doc).length === 1005, 10_000, 'both have everything');
  expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
  expect(listMessages(a.doc)).toEqual(listMessages(b.doc));
  expect(a.acks.get(a.doc.clientID)).toBe(last);
});
