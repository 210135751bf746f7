import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startSyncServer } from '../helpers/server';
import { makeUser } from '../helpers/users';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

describe('stopping the sync server', () => {
  it('closes every socket with 1012, also those still being authenticated, and returns once they are closed', async () => {
    const server = await startSyncServer(db);
    const users = await Promise.all(Array.from({ length: 20 }, (_, i) => makeUser(db.sql, `stop${i}_${Math.random().toString(36).slice(2, 7)}`)));
    const room = await createRoom(db.sql, users[0]!.id, 'Stopping');
    for (const u of users.slice(1)) await addMember(db.sql, room.id, u.id);
    const sockets = users.map((u) => new WebSocket(`ws://127.0.0.1:${server.port}/sync/${room.id}`, { headers: { authorization: `Bearer ${u.token}` } }));
    const codes = sockets.map((ws) => new Promise<number>((resolve) => ws.on('close', (code) => resolve(code))));
    // Upgraded, all of them: from here each is being authenticated, loading its room or in it.
    await Promise.all(sockets.map((ws) => new Promise((resolve) => ws.once('open', resolve))));
    await server.close();
    expect(await Promise.all(codes)).toEqual(sockets.map(() => 1012));
  });
});
