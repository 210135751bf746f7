import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, editMessage, viewMessages } from '../../src/lib/chat/edits';
import { sendMessage } from '../../src/lib/chat/messages';
import { react, reactionsOf } from '../../src/lib/chat/reactions';
import { markRead } from '../../src/lib/chat/reads';
import { roomTypes } from '../../src/lib/chat/schema';
import { encodeFrame } from '../../src/lib/protocol/frames';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { syncSuite } from '../helpers/server';
import { closeCodeOf, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/**
 * SPEC 7: a cheating client (its own Y.Doc, raw frames on a raw socket) against honest
 * y-websocket clients. Every cheat is closed with 4400, nothing of it is stored or reaches
 * the others; the same changes made by the right people pass.
 */

const suite = syncSuite();
const client = (roomId: string, token: string | null, doc?: Y.Doc): TestClient => suite.client(roomId, token, doc);

/** Owner olga, members ana and bo, each with a synced client; ana and bo have one message each. */
async function scene() {
  const tag = Math.random().toString(36).slice(2, 7);
  const [olga, ana, bo] = [await makeUser(suite.db.sql, `olga_${tag}`), await makeUser(suite.db.sql, `ana_${tag}`), await makeUser(suite.db.sql, `bo_${tag}`)];
  const room = await createRoom(suite.db.sql, olga.id, 'Rules');
  await addMember(suite.db.sql, room.id, ana.id);
  await addMember(suite.db.sql, room.id, bo.id);
  const [o, a, b] = [client(room.id, olga.token), client(room.id, ana.token), client(room.id, bo.token)];
  await waitFor(() => o.provider.synced && a.provider.synced && b.provider.synced, 5000, 'synced');
  const fromAna = sendMessage(a.doc, { author: ana.id, text: 'hi from ana' });
  const fromBo = sendMessage(b.doc, { author: bo.id, text: 'hi from bo' });
  if (!fromAna.ok || !fromBo.ok) throw new Error('send failed');
  await waitFor(() => [o, a, b].every((c) => viewMessages(c.doc).length === 2), 5000, 'everyone has both');
  await acked(a);
  await acked(b);
  return { room, users: { olga, ana, bo }, clients: { o, a, b }, ids: { ana: fromAna.message.id, bo: fromBo.message.id } };
}

async function acked(c: TestClient): Promise<void> {
  const clock = Y.getState(c.doc.store, c.doc.clientID);
  await waitFor(() => (c.acks.get(c.doc.clientID) ?? 0) >= clock, 5000, 'ack');
}

async function storedCount(roomId: string): Promise<number> {
  const [row] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_updates where room_id = ${roomId}`;
  return row!.n;
}

const snapshot = (c: TestClient) => JSON.stringify(Y.encodeStateVector(c.doc)) + JSON.stringify(c.doc.toJSON());

/**
 * Builds an update on a copy of `base` (what the server has) with `change`, sends it as
 * `token` on a raw socket, and returns the close it gets; checks nothing was stored or
 * forwarded to the honest clients.
 */
async function cheat(s: Awaited<ReturnType<typeof scene>>, token: string, change: (doc: Y.Doc) => void, clientId?: number) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(s.clients.o.doc));
  // After the sync: Yjs gives a doc a new clientID when a remote change uses its own.
  if (clientId !== undefined) doc.clientID = clientId;
  const before = Y.encodeStateVector(doc);
  change(doc);
  const update = Y.encodeStateAsUpdate(doc, before);
  const frame = encodeFrame({ kind: 'update', update });

  const honest = Object.values(s.clients);
  const docsBefore = honest.map(snapshot);
  const storedBefore = await storedCount(s.room.id);
  const closed = await closeCodeOf(`${suite.server.url.replace('http', 'ws')}/sync/${s.room.id}`, token, (ws) => ws.send(frame));
  await new Promise((r) => setTimeout(r, 100));
  expect(honest.map(snapshot)).toEqual(docsBefore);
  expect(await storedCount(s.room.id)).toBe(storedBefore);
  return closed;
}

describe('SPEC 7: cheats are closed with 4400, stored nowhere, forwarded to no one', () => {
  it('SPEC 7.3: a message with a forged author', async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => sendMessage(doc, { author: s.users.ana.id, text: 'I am ana' }));
    expect(closed).toMatchObject({ code: 4400, reason: 'Message author is not the writer' });
  });

  it('SPEC 7.3: a message of 4001 characters', async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => {
      const messages = doc.getArray('messages');
      messages.insert(messages.length, [{ id: 'long-one', author: s.users.bo.id, text: 'x'.repeat(4001), ts: Date.now() }]);
    });
    expect(closed).toMatchObject({ code: 4400, reason: 'Text is longer than 4000 characters' });
  });

  it("SPEC 7.7: a member deleting another's message", async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => {
      const index = roomTypes(doc).messages.toArray().findIndex((m) => m.id === s.ids.ana);
      roomTypes(doc).messages.delete(index, 1);
    });
    expect(closed).toMatchObject({ code: 4400, reason: 'Only the author or an admin may delete a message' });
  });

  it("SPEC 7.4: a member marking another's message deleted", async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => roomTypes(doc).edits.set(s.ids.ana, { deleted: true, ts: Date.now() }));
    expect(closed).toMatchObject({ code: 4400, reason: 'Only the author or an admin may delete a message' });
  });

  it("SPEC 7.6: writing another user's read marker", async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => roomTypes(doc).reads.set(s.users.ana.id, { id: s.ids.bo, ts: Date.now() }));
    expect(closed).toMatchObject({ code: 4400, reason: 'Read marker belongs to another user' });
  });

  it('SPEC 7.5: a reaction in the name of someone else', async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => roomTypes(doc).reactions.set(`${s.ids.ana}|👎|${s.users.ana.id}`, Date.now()));
    expect(closed).toMatchObject({ code: 4400, reason: 'Reaction belongs to another user' });
  });

  it("SPEC 7.1: writing with another user's clientID", async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => sendMessage(doc, { author: s.users.bo.id, text: 'sneaky' }), s.clients.a.doc.clientID);
    expect(closed).toMatchObject({ code: 4400, reason: 'Client id belongs to another user' });
    const [row] = await suite.db.sql<{ user_id: string }[]>`
      select user_id from doc_clients where room_id = ${s.room.id} and client_id = ${s.clients.a.doc.clientID}`;
    expect(row?.user_id).toBe(s.users.ana.id);
  });

  it('SPEC 7.2: a new top-level type', async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => doc.getMap('admins').set(s.users.bo.id, true));
    expect(closed).toMatchObject({ code: 4400, reason: 'Unknown top-level type' });
  });

  it('SPEC 7.2: a nested Y.Map', async () => {
    const s = await scene();
    const closed = await cheat(s, s.users.bo.token, (doc) => {
      const messages = doc.getArray('messages');
      messages.insert(messages.length, [new Y.Map()]);
    });
    expect(closed).toMatchObject({ code: 4400, reason: 'Nested types are not allowed' });
  });
});

describe('SPEC 7: the right people pass', () => {
  it('the author edits, reactions and read markers of their own, the owner deletes a member’s message', async () => {
    const s = await scene();
    const { o, a, b } = s.clients;
    expect(editMessage(a.doc, { messageId: s.ids.ana, userId: s.users.ana.id, text: 'hi from ana (edited)' })).toEqual({ ok: true });
    expect(react(b.doc, { messageId: s.ids.ana, emoji: '🎉', userId: s.users.bo.id })).toEqual({ ok: true });
    expect(markRead(b.doc, { userId: s.users.bo.id, messageId: s.ids.ana })).toBe(true);
    expect(deleteMessage(o.doc, { messageId: s.ids.bo, userId: s.users.olga.id, role: 'owner' })).toEqual({ ok: true });
    expect(deleteMessage(b.doc, { messageId: s.ids.bo, userId: s.users.bo.id, role: 'member' })).toEqual({ ok: true });

    const view = (c: TestClient, id: string) => viewMessages(c.doc).find((m) => m.id === id);
    await waitFor(
      () =>
        [o, a, b].every(
          (c) => reactionsOf(c.doc, s.ids.ana).length === 1 && roomTypes(c.doc).reads.get(s.users.bo.id)?.id === s.ids.ana && view(c, s.ids.bo)?.deletedAt !== null
        ),
      5000,
      'everyone sees everything'
    );
    for (const c of [o, a, b]) {
      expect(view(c, s.ids.ana)).toMatchObject({ text: 'hi from ana (edited)', deletedAt: null });
      expect(view(c, s.ids.bo)).toMatchObject({ text: '', author: s.users.bo.id });
    }
    await Promise.all([acked(o), acked(a), acked(b)]);
    expect([o, a, b].flatMap((c) => c.closes)).toEqual([]);
  });

  it('the owner removes a member’s message element; the author removes their own', async () => {
    const s = await scene();
    const { o, a, b } = s.clients;
    const indexOf = (doc: Y.Doc, id: string) => roomTypes(doc).messages.toArray().findIndex((m) => m.id === id);
    roomTypes(o.doc).messages.delete(indexOf(o.doc, s.ids.bo), 1);
    await waitFor(() => [a, b].every((c) => indexOf(c.doc, s.ids.bo) === -1), 5000, 'owner removal arrives');
    roomTypes(a.doc).messages.delete(indexOf(a.doc, s.ids.ana), 1);
    await waitFor(() => [o, b].every((c) => viewMessages(c.doc).length === 0), 5000, 'author removal arrives');
    await Promise.all([acked(o), acked(a)]);
    expect([o, a, b].flatMap((c) => c.closes)).toEqual([]);
  });

  it('SPEC 7.1: clientIDs are bound in doc_clients before the ack', async () => {
    const s = await scene();
    const rows = await suite.db.sql<{ client_id: string; user_id: string }[]>`
      select client_id::text, user_id from doc_clients where room_id = ${s.room.id} order by user_id`;
    expect(new Map(rows.map((r) => [Number(r.client_id), r.user_id]))).toEqual(
      new Map([
        [s.clients.a.doc.clientID, s.users.ana.id],
        [s.clients.b.doc.clientID, s.users.bo.id]
      ])
    );
  });
});
