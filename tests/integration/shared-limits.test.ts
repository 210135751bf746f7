import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createRoom } from '../../src/lib/server/rooms';
import { getRuntime, setRuntime, type Runtime } from '../../src/lib/server/runtime';
import { insertUser } from '../../src/lib/server/users';
import { POST as login } from '../../src/routes/api/auth/login/+server';
import type { Limits } from '../../sync-server/config';
import type { PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startInstance } from '../helpers/server';
import { RawClient } from '../helpers/raw-client';
import { call } from '../helpers/route';
import { waitFor } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/**
 * README "Limits": with REDIS_URL, sign-in throttling and connections per user count across
 * every instance, so N instances do not allow N times the guesses or the sockets. Two real
 * instances on one database and one Redis, as tests/integration/two-instances.test.ts.
 */
const LIMITS: Partial<Limits> = { loginFreeAttemptsPerUsername: 2, loginFreeAttemptsPerAddress: 100, loginBackoffMs: 1000, maxConnectionsPerUser: 2 };

type Instance = PorchServer & { url: string; runtime: Runtime };

let db: TestDatabase;
const servers: PorchServer[] = [];
const sockets: RawClient[] = [];

async function instance(): Promise<Instance> {
  const server = await startInstance(db, { redis: true, sharedLimits: true, limits: LIMITS });
  servers.push(server);
  // The SvelteKit routes read the process's one runtime: the last started. Kept to call a
  // route "on" this instance.
  return Object.assign(server, { runtime: getRuntime() });
}

/** A sign-in through the login route of `on`. */
function signIn(on: Instance, username: string, password: string, address: string): Promise<Response> {
  setRuntime(on.runtime);
  return call(login, { body: { username, password }, address });
}

function socket(on: Instance, roomId: string, token: string): RawClient {
  const c = new RawClient(`${on.url.replace('http', 'ws')}/sync/${roomId}`, token);
  sockets.push(c);
  return c;
}

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  for (const c of sockets) c.close();
  for (const s of servers) await s.close().catch(() => {});
  await db?.close();
});

it('failed sign-ins on one instance count on the other: the third wrong password locks the username on both, a success on either clears it', async () => {
  const one = await instance();
  const two = await instance();
  // Redis outlives the test run: a name and addresses of this run's own.
  const tag = randomUUID().slice(0, 8);
  const user = await insertUser(db.sql, `shared_${tag}`, await hashPassword('correct horse battery'));
  if (!user) throw new Error('taken');
  const address = (n: number) => `198.51.${n}.${parseInt(tag.slice(0, 2), 16)}`;

  expect((await signIn(one, user.username, 'wrong password 1', address(1))).status).toBe(401);
  expect((await signIn(one, user.username, 'wrong password 2', address(2))).status).toBe(401);
  // The third failure, on the other instance, starts the wait: the first two counted there.
  expect((await signIn(two, user.username, 'wrong password 3', address(3))).status).toBe(401);
  const locked = await signIn(two, user.username, 'correct horse battery', address(4));
  expect(locked.status).toBe(429);
  expect(locked.headers.get('retry-after')).toBe('1');
  expect((await signIn(one, user.username, 'correct horse battery', address(5))).status).toBe(429);

  await new Promise((r) => setTimeout(r, 1100));
  expect((await signIn(two, user.username, 'correct horse battery', address(6))).status).toBe(200);
  // Cleared for both: two free failures again on the first, then the right password passes.
  expect((await signIn(one, user.username, 'wrong password 4', address(7))).status).toBe(401);
  expect((await signIn(one, user.username, 'wrong password 5', address(8))).status).toBe(401);
  expect((await signIn(one, user.username, 'correct horse battery', address(9))).status).toBe(200);
});

it("a user's connections on one instance count against MAX_CONNECTIONS_PER_USER on the other; closing one frees a place on both", async () => {
  const one = await instance();
  const two = await instance();
  const ana = await makeUser(db.sql, `conn_${randomUUID().slice(0, 8)}`);
  const room = await createRoom(db.sql, ana.id, 'Everywhere');

  const first = socket(one, room.id, ana.token);
  const second = socket(one, room.id, ana.token);
  await Promise.all([first.ready, second.ready]);
  await expect(socket(two, room.id, ana.token).ready).rejects.toThrow(/4429 Too many connections/);

  first.close();
  await waitFor(() => first.closed !== null, 5000, 'first socket closed');
  // The close reaches Redis after the socket's close frame: retry briefly.
  let again: RawClient | null = null;
  for (let i = 0; i < 20 && again === null; i++) {
    const c = socket(two, room.id, ana.token);
    again = await c.ready.then(
      () => c,
      () => null
    );
    if (!again) await new Promise((r) => setTimeout(r, 50));
  }
  expect(again).not.toBeNull();
  await expect(socket(one, room.id, ana.token).ready).rejects.toThrow(/4429/);
});
