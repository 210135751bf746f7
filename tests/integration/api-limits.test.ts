import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/lib/server/auth/password';
import { insertUser } from '../../src/lib/server/users';
import { POST as login } from '../../src/routes/api/auth/login/+server';
import { POST as openDm } from '../../src/routes/api/dms/+server';
import { DELETE as deleteRoom } from '../../src/routes/api/rooms/[id]/+server';
import { POST as addMember } from '../../src/routes/api/rooms/[id]/members/+server';
import { POST as createRoom } from '../../src/routes/api/rooms/+server';
import { call, errorOf } from '../helpers/route';
import { syncSuite } from '../helpers/server';
import { makeUser } from '../helpers/users';

/**
 * Issue 7.4: the HTTP API's limits, through the real route handlers (helpers/route.ts) on a
 * real database and the runtime the server sets up; tests/e2e/api.spec.ts drives the same
 * routes through the built server.
 */
const ROOMS = 3;
const MEMBERS = 3;
const suite = syncSuite({}, { maxRoomsPerUser: ROOMS, maxMembersPerRoom: MEMBERS, loginFreeAttemptsPerUsername: 2, loginFreeAttemptsPerAddress: 4, loginBackoffMs: 1000 });

describe('rooms per user and members per room', () => {
  it('MAX_ROOMS_PER_USER: the next room (or new DM) is a 409 too_many_rooms; deleting one frees a place', async () => {
    const ana = await makeUser(suite.db.sql, 'limit_ana');
    const bo = await makeUser(suite.db.sql, 'limit_bo');
    const cy = await makeUser(suite.db.sql, 'limit_cy');
    const ids: string[] = [];
    for (let i = 0; i < ROOMS - 1; i++) {
      const res = await call(createRoom, { user: ana, body: { name: `Room ${i}` } });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { room: { id: string } }).room.id);
    }
    // A new DM counts too: it is the third.
    expect((await call(openDm, { user: ana, body: { username: bo.username } })).status).toBe(201);
    const over = await errorOf(await call(createRoom, { user: ana, body: { name: 'One too many' } }));
    expect(over).toMatchObject({ status: 409, code: 'too_many_rooms', message: expect.stringMatching(/3 rooms/) });
    expect(await errorOf(await call(openDm, { user: ana, body: { username: cy.username } }))).toMatchObject({ status: 409, code: 'too_many_rooms' });
    // Opening the DM that exists is not creating one; someone else is not limited by ana's rooms.
    expect((await call(openDm, { user: ana, body: { username: bo.username } })).status).toBe(200);
    expect((await call(createRoom, { user: bo, body: { name: 'Mine' } })).status).toBe(201);
    const [row] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from rooms where created_by = ${ana.id}`;
    expect(row!.n).toBe(ROOMS);

    expect((await call(deleteRoom, { user: ana, params: { id: ids[0]! }, method: 'DELETE' })).status).toBeLessThan(300);
    expect((await call(createRoom, { user: ana, body: { name: 'Room again' } })).status).toBe(201);
  });

  it('MAX_ROOMS_PER_USER holds when many creations race', async () => {
    const eve = await makeUser(suite.db.sql, 'limit_eve');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => call(createRoom, { user: eve, body: { name: `Race ${i}` } })));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(ROOMS);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(8 - ROOMS);
  });

  it('MAX_MEMBERS_PER_ROOM: adding past it is a 409 room_full; a member already in is still a 409 already_member', async () => {
    const owner = await makeUser(suite.db.sql, 'full_owner');
    const people = [await makeUser(suite.db.sql, 'full_1'), await makeUser(suite.db.sql, 'full_2'), await makeUser(suite.db.sql, 'full_3')];
    const created = await call(createRoom, { user: owner, body: { name: 'Small' } });
    const { room } = (await created.json()) as { room: { id: string } };
    const add = (username: string) => call(addMember, { user: owner, params: { id: room.id }, body: { username } });
    expect((await add(people[0]!.username)).status).toBe(201);
    expect((await add(people[1]!.username)).status).toBe(201);
    expect(await errorOf(await add(people[2]!.username))).toMatchObject({ status: 409, code: 'room_full', message: expect.stringMatching(/3 members/) });
    expect(await errorOf(await add(people[0]!.username))).toMatchObject({ status: 409, code: 'already_member' });
    const [row] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_members where room_id = ${room.id}`;
    expect(row!.n).toBe(MEMBERS);
  });
});

describe('sign-in throttle (per username and per address, with backoff)', () => {
  async function account(name: string) {
    const user = await insertUser(suite.db.sql, name, await hashPassword('correct horse battery'));
    if (!user) throw new Error('taken');
    return user;
  }
  const attempt = (username: string, password: string, address: string) => call(login, { body: { username, password }, address });

  it('LOGIN_FREE_ATTEMPTS per username: then 429 with Retry-After from any address, even with the right password; the wait doubles', async () => {
    const ana = await account('throttle_ana');
    expect((await attempt(ana.username, 'wrong password 1', '198.51.100.1')).status).toBe(401);
    expect((await attempt(ana.username, 'wrong password 2', '198.51.100.2')).status).toBe(401);
    // The third failure starts the backoff: 1 s.
    expect((await attempt(ana.username, 'wrong password 3', '198.51.100.3')).status).toBe(401);
    const locked = await attempt(ana.username, 'correct horse battery', '198.51.100.4');
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('1');
    expect((await errorOf(locked)).code).toBe('too_many_attempts');

    await new Promise((r) => setTimeout(r, 1100));
    expect((await attempt(ana.username, 'wrong password 4', '198.51.100.5')).status).toBe(401);
    // Backoff doubled: 2 s now.
    expect((await attempt(ana.username, 'correct horse battery', '198.51.100.6')).headers.get('retry-after')).toBe('2');
  });

  it('LOGIN_FREE_ATTEMPTS_PER_ADDRESS: one address guessing across usernames is throttled; other addresses are not', async () => {
    const names = [await account('spray_1'), await account('spray_2'), await account('spray_3'), await account('spray_4'), await account('spray_5')];
    for (const [i, user] of names.slice(0, 4).entries()) expect((await attempt(user.username, `guess ${i} guess`, '203.0.113.9')).status).toBe(401);
    expect((await attempt(names[4]!.username, 'guess 5 guess', '203.0.113.9')).status).toBe(401);
    // Five failures from this address, one more than it gets free: it waits, whoever it tries.
    const blocked = await attempt(names[4]!.username, 'correct horse battery', '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await attempt(names[4]!.username, 'correct horse battery', '203.0.113.10')).status).toBe(200);
  });
});
