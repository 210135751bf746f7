import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { react, reactionsOf, unreact } from '../../src/lib/chat/reactions';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import type { Logger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import type { SyncServerOptions } from '../../sync-server/sync-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/**
 * SPEC 3: a restarted server answers up-to-date clients from the stored state vector and
 * deletions, and builds a room's doc only when someone needs its content.
 */
let db: TestDatabase;
let server: (PorchServer & { url: string }) | null = null;
const clients: TestClient[] = [];
/** Rooms whose Y.Doc the server built (its "room built" log line), in order. */
const built: string[] = [];
const log: Logger = {
  info: (message, fields) => {
    if (message === 'room built') built.push(fields?.room as string);
  },
  warn: () => {},
  error: () => {}
};

async function start(sync: Partial<SyncServerOptions> = {}): Promise<string> {
  await server?.close();
  const started = await startPorchServer({ sql: db.sql, log, port: 0, host: '127.0.0.1', sync });
  server = Object.assign(started, { url: `http://127.0.0.1:${started.port}` });
  return server.url;
}

function client(url: string, roomId: string, token: string, doc?: Y.Doc): TestClient {
  const c = connectClient(url, roomId, token, doc);
  clients.push(c);
  return c;
}

/** The clients come back to a new server: each is given a fresh provider on its own doc. */
function reconnect(url: string, roomId: string, old: TestClient, token: string): TestClient {
  old.provider.destroy();
  return client(url, roomId, token, old.doc);
}

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await db?.close();
});

/** A new room of Ana and Bo on a new server, both synced. */
async function syncedPair(name: string, sync: Partial<SyncServerOptions> = {}) {
  const url = await start(sync);
  const ana = await makeUser(db.sql, `${name}_ana`);
  const bo = await makeUser(db.sql, `${name}_bo`);
  const room = await createRoom(db.sql, ana.id, name);
  await addMember(db.sql, room.id, bo.id);
  const a = client(url, room.id, ana.token);
  const b = client(url, room.id, bo.token);
  await waitFor(() => a.provider.synced && b.provider.synced, 5000, 'synced');
  return { ana, bo, room, a, b };
}

async function acked(c: TestClient): Promise<void> {
  const last = Y.getState(c.doc.store, c.doc.clientID);
  await waitFor(() => (c.acks.get(c.doc.clientID) ?? 0) >= last, 5000, 'acked');
}

/** The room as Postgres has it. */
async function storedDoc(roomId: string): Promise<Y.Doc> {
  const rows = await db.sql<{ data: Uint8Array }[]>`
    select data from (select 0 as part, 0::bigint as id, data from room_snapshots where room_id = ${roomId}
      union all select 1, id, data from room_updates where room_id = ${roomId}) t order by part, id`;
  const doc = new Y.Doc();
  for (const r of rows) Y.applyUpdate(doc, r.data);
  return doc;
}

async function storedTexts(roomId: string): Promise<string[]> {
  return listMessages(await storedDoc(roomId)).map((m) => m.text);
}

it('an up-to-date client is synced by a restarted server without the room being built, then writes: delivered, acked, stored', async () => {
  // Compacting after every 2 updates: the room is a snapshot (and its kept state) plus a short log.
  const { ana, bo, room, a, b } = await syncedPair('uptodate', { compactAfterUpdates: 2 });
  for (let i = 0; i < 5; i++) sendMessage(a.doc, { author: ana.id, text: `before ${i}` });
  await waitFor(() => listMessages(b.doc).length === 5, 5000, 'bo has 5');
  await acked(a);

  const url = await start({ compactAfterUpdates: 2 });
  built.length = 0;
  const a2 = reconnect(url, room.id, a, ana.token);
  const b2 = reconnect(url, room.id, b, bo.token);
  await waitFor(() => a2.provider.synced && b2.provider.synced, 5000, 'synced after the restart');
  // Their sync step 2 (nothing new) is handled too before the doc is needed.
  await new Promise((r) => setTimeout(r, 100));
  expect(built).toEqual([]);

  sendMessage(a2.doc, { author: ana.id, text: 'after the restart' });
  await waitFor(() => listMessages(b2.doc).length === 6, 5000, 'bo receives it');
  await acked(a2);
  expect(built).toEqual([room.id]);
  expect(listMessages(b2.doc)).toEqual(listMessages(a2.doc));
  expect(await storedTexts(room.id)).toEqual([0, 1, 2, 3, 4].map((i) => `before ${i}`).concat('after the restart'));
});

it('a removal the client missed reaches it from the stored deletions (its state vector is up to date)', async () => {
  const { ana, bo, room, a, b } = await syncedPair('deletions');
  const sent = sendMessage(a.doc, { author: ana.id, text: 'react to me' });
  if (!sent.ok) throw new Error('not sent');
  const id = sent.message.id;
  await waitFor(() => listMessages(b.doc).length === 1, 5000, 'bo has it');
  react(b.doc, { messageId: id, emoji: '👍', userId: bo.id });
  await waitFor(() => reactionsOf(a.doc, id).length === 1, 5000, 'ana sees the reaction');

  // Ana is away while Bo takes the reaction back: a deletion, no new struct.
  a.provider.disconnect();
  unreact(b.doc, { messageId: id, emoji: '👍', userId: bo.id });
  // A deletion is not acked (no clock to name): wait until it is stored.
  for (let tries = 0; reactionsOf(await storedDoc(room.id), id).length > 0; tries++) {
    if (tries > 100) throw new Error('the removal was not stored');
    await new Promise((r) => setTimeout(r, 50));
  }

  const url = await start();
  built.length = 0;
  const a2 = reconnect(url, room.id, a, ana.token);
  await waitFor(() => a2.provider.synced, 5000, 'ana synced');
  await waitFor(() => reactionsOf(a2.doc, id).length === 0, 5000, 'the reaction is gone for ana');
  expect(built).toEqual([]);
});

it('a client that lacks messages gets them, and what it wrote offline is judged, stored and delivered', async () => {
  const { ana, bo, room, a, b } = await syncedPair('behind');
  b.provider.disconnect();
  sendMessage(a.doc, { author: ana.id, text: 'while bo was away' });
  sendMessage(b.doc, { author: bo.id, text: 'bo offline' });
  await acked(a);

  const url = await start();
  built.length = 0;
  const a2 = reconnect(url, room.id, a, ana.token);
  await waitFor(() => a2.provider.synced, 5000, 'ana synced');
  const b2 = reconnect(url, room.id, b, bo.token);
  await waitFor(() => listMessages(b2.doc).length === 2 && listMessages(a2.doc).length === 2, 5000, 'both have both');
  await acked(b2);
  expect(built).toEqual([room.id]);
  expect(listMessages(a2.doc)).toEqual(listMessages(b2.doc));
  expect((await storedTexts(room.id)).sort()).toEqual(['bo offline', 'while bo was away']);
});

it('SPEC 7.3: a forged author sent into a room whose doc is not built yet is refused with 4400 and not stored', async () => {
  const { ana, bo, room, a, b } = await syncedPair('forged');
  sendMessage(a.doc, { author: ana.id, text: 'honest' });
  await waitFor(() => listMessages(b.doc).length === 1, 5000, 'bo has it');

  const url = await start();
  built.length = 0;
  const b2 = reconnect(url, room.id, b, bo.token);
  const forger = reconnect(url, room.id, a, ana.token);
  await waitFor(() => forger.provider.synced && b2.provider.synced, 5000, 'synced after the restart');
  expect(built).toEqual([]);
  sendMessage(forger.doc, { author: bo.id, text: 'bo never said this' });
  await waitFor(() => forger.closes.some((c) => c.code === 4400), 5000, 'refused');
  expect(built).toEqual([room.id]);
  await new Promise((r) => setTimeout(r, 200));
  expect(listMessages(b2.doc).map((m) => m.text)).toEqual(['honest']);
  expect(await storedTexts(room.id)).toEqual(['honest']);
});
