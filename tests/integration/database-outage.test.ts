import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import { PostgresUpdateStore } from '../../sync-server/storage/postgres-update-store';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { GatedStore } from '../helpers/gated-store';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { makeUser } from '../helpers/users';

let db: TestDatabase;
let proxy: TcpProxy;
let serverSql: Sql;
let server: PorchServer;
let client: TestClient | undefined;
const others: TestClient[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  proxy = await startTcpProxy(db.upstream);
  serverSql = db.openVia(proxy.port);
  server = await startPorchServer({ sql: serverSql, log: createLogger('silent'), port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  client?.destroy();
  for (const c of others) c.destroy();
  await server?.close();
  await serverSql?.end({ timeout: 1 });
  await proxy?.close();
  await db?.close();
});

const health = async () => (await fetch(`http://127.0.0.1:${server.port}/healthz`)).status;

it('SPEC 10: with the database gone nothing is acked; when it returns the client catches up by itself', async () => {
  const user = await makeUser(db.sql, 'outage_ana');
  const room = await createRoom(db.sql, user.id, 'Outage');
  client = connectClient(`http://127.0.0.1:${server.port}`, room.id, user.token);
  const c = client;
  await waitFor(() => c.provider.synced, 5000, 'synced');
  const acked = () => c.acks.get(c.doc.clientID) ?? 0;

  sendMessage(c.doc, { author: user.id, text: 'before the outage' });
  const first = Y.getState(c.doc.store, c.doc.clientID);
  await waitFor(() => acked() >= first, 5000, 'first ack');
  expect(await health()).toBe(200);

  proxy.cut();
  expect(await health()).toBe(503);
  sendMessage(c.doc, { author: user.id, text: 'during the outage' });
  const second = Y.getState(c.doc.store, c.doc.clientID);
  // The room fails and the client is told to come back later (1011), not acked.
  await waitFor(() => c.closes.some((e) => e.code === 1011), 5000, 'room closed with 1011');
  await new Promise((r) => setTimeout(r, 500));
  expect(acked()).toBeLessThan(second);

  proxy.restore();
  await waitFor(() => acked() >= second, 15_000, 'ack after the database returns');
  expect(await health()).toBe(200);

  const stored = await new PostgresUpdateStore(db.sql).load(room.id);
  const doc = new Y.Doc();
  for (const u of stored) Y.applyUpdate(doc, u);
  expect(listMessages(doc).map((m) => m.text)).toEqual(['before the outage', 'during the outage']);
});

it('SPEC 5, 8: nobody is given a change before it is stored, so a lost write cannot come back as a forgery', async () => {
  // A crash between applying and storing a write loses it; whoever had been given it would
  // resend it on reconnect under its writer's clientID and be refused (4400, for good).
  const store = new GatedStore(new PostgresUpdateStore(db.sql));
  const gated = await startPorchServer({ sql: db.sql, store, log: createLogger('silent'), port: 0, host: '127.0.0.1' });
  try {
    const ana = await makeUser(db.sql, 'outage_relay_ana');
    const bo = await makeUser(db.sql, 'outage_relay_bo');
    const room = await createRoom(db.sql, ana.id, 'Relay');
    await addMember(db.sql, room.id, bo.id);
    const url = `http://127.0.0.1:${gated.port}`;
    const a = connectClient(url, room.id, ana.token);
    others.push(a);
    await waitFor(() => a.provider.synced, 5000, 'ana synced');

    // Ana's message is in the server's doc; its commit is slow.
    store.hold();
    sendMessage(a.doc, { author: ana.id, text: 'not stored yet' });
    const b = connectClient(url, room.id, bo.token);
    others.push(b);
    await new Promise((r) => setTimeout(r, 500));
    expect(listMessages(b.doc)).toEqual([]);

    store.release();
    await waitFor(() => listMessages(b.doc).length === 1, 5000, 'Bo gets the message once stored');
    expect(listMessages(b.doc).map((m) => m.text)).toEqual(['not stored yet']);
    expect(b.provider.synced).toBe(true);
  } finally {
    store.release();
    for (const c of others.splice(0)) c.destroy();
    await gated.close();
  }
});
