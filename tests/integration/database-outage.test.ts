import type { Sql } from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { createRoom } from '../../src/lib/server/rooms';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import { PostgresUpdateStore } from '../../sync-server/storage/postgres-update-store';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { makeUser } from '../helpers/users';

let db: TestDatabase;
let proxy: TcpProxy;
let serverSql: Sql;
let server: PorchServer;
let client: TestClient | undefined;

beforeAll(async () => {
  db = await openTestDatabase();
  proxy = await startTcpProxy(db.upstream);
  serverSql = db.openVia(proxy.port);
  server = await startPorchServer({ sql: serverSql, log: createLogger('silent'), port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  client?.destroy();
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
