import { expect, test } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { WebSocket } from 'ws';
import { hashPassword } from '../../src/lib/server/auth/password';
import { createSession } from '../../src/lib/server/auth/session';
import { addMember, createRoom, removeMember } from '../../src/lib/server/rooms';
import { insertUser, type User } from '../../src/lib/server/users';
import { startInProcessApp, type InProcessApp } from './in-process-app';

/**
 * Issue 7, item 5: every API endpoint and /sync, tried by every kind of caller, answers
 * exactly what the table says. The endpoints are read from src/routes/api, so an endpoint
 * added without a row here fails the first test.
 */

const ROLES = ['none', 'expired', 'other', 'nonMember', 'member', 'admin', 'owner'] as const;
type Caller = (typeof ROLES)[number];
/** Expected status per caller, in ROLES order. */
type Statuses = [number, number, number, number, number, number, number];

const PASSWORD = 'correct horse battery';

interface Fixture {
  roomId: string;
  /** A plain member the DELETE-member row removes. */
  target: User;
  /** Someone not in the room, whom the add-member row adds. */
  candidate: User;
  /** The user behind each caller (none: nobody). */
  as: User | null;
}

interface Row {
  /** What a request sends, given a fresh room and the caller. */
  request(f: Fixture): { path: string; body?: unknown };
  expect: Statuses;
}

const ANYONE_SIGNED_IN: Statuses = [401, 401, 200, 200, 200, 200, 200];
const ROOM_MEMBERS: Statuses = [401, 401, 404, 404, 200, 200, 200];
const PUSH_ENDPOINT = 'https://203.0.113.5/push/matrix';
const PUSH_KEYS = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };

/** Every endpoint, keyed "METHOD /api/route/[param]" as in src/routes. */
const MATRIX: Record<string, Row> = {
  // Open to all: a signed-in caller gets a new session (its old one ends: see below).
  'POST /api/auth/register': { request: () => ({ path: '/api/auth/register', body: { username: fresh('reg'), password: PASSWORD } }), expect: [201, 201, 201, 201, 201, 201, 201] },
  'POST /api/auth/login': { request: (f) => ({ path: '/api/auth/login', body: { username: f.as?.username ?? users().owner.username, password: PASSWORD } }), expect: [200, 200, 200, 200, 200, 200, 200] },
  // Signing out without a session is not an error: the goal (no session) is reached.
  'POST /api/auth/logout': { request: () => ({ path: '/api/auth/logout' }), expect: [204, 204, 204, 204, 204, 204, 204] },
  'GET /api/me': { request: () => ({ path: '/api/me' }), expect: ANYONE_SIGNED_IN },
  // A wrong password: nobody's account goes (deletion itself: tests/integration/account-deletion.test.ts).
  'DELETE /api/me': { request: () => ({ path: '/api/me', body: { password: 'not the password' } }), expect: [401, 401, 403, 403, 403, 403, 403] },
  'PATCH /api/me': { request: () => ({ path: '/api/me', body: { displayName: 'Matrix Person' } }), expect: ANYONE_SIGNED_IN },
  // A JSON body is not an image: the signed-in get 415 (avatars: tests/e2e/profiles.spec.ts).
  'PUT /api/me/avatar': { request: () => ({ path: '/api/me/avatar', body: { image: 'no' } }), expect: [401, 401, 415, 415, 415, 415, 415] },
  'DELETE /api/me/avatar': { request: () => ({ path: '/api/me/avatar' }), expect: [401, 401, 204, 204, 204, 204, 204] },
  // Anyone signed in may see an avatar; the target has none.
  'GET /api/users/[id]/avatar': { request: (f) => ({ path: `/api/users/${f.target.id}/avatar` }), expect: [401, 401, 404, 404, 404, 404, 404] },
  // Says whether a session exists (user or null), so the app never starts on a 401.
  'GET /api/session': { request: () => ({ path: '/api/session' }), expect: [200, 200, 200, 200, 200, 200, 200] },
  'POST /api/me/password': { request: () => ({ path: '/api/me/password', body: { currentPassword: PASSWORD, newPassword: PASSWORD } }), expect: ANYONE_SIGNED_IN },
  'POST /api/dms': { request: () => ({ path: '/api/dms', body: { username: users().peer.username } }), expect: [401, 401, 201, 201, 201, 201, 201] },
  // The VAPID public key is public: the service worker asks for it with no page open.
  'GET /api/push/key': { request: () => ({ path: '/api/push/key' }), expect: [200, 200, 200, 200, 200, 200, 200] },
  'GET /api/push/subscriptions': { request: () => ({ path: `/api/push/subscriptions?endpoint=${encodeURIComponent(PUSH_ENDPOINT)}` }), expect: ANYONE_SIGNED_IN },
  'POST /api/push/subscriptions': { request: () => ({ path: '/api/push/subscriptions', body: { endpoint: PUSH_ENDPOINT, keys: PUSH_KEYS } }), expect: [401, 401, 201, 201, 201, 201, 201] },
  'DELETE /api/push/subscriptions': { request: () => ({ path: '/api/push/subscriptions', body: { endpoint: PUSH_ENDPOINT } }), expect: [401, 401, 204, 204, 204, 204, 204] },
  'GET /api/rooms': { request: () => ({ path: '/api/rooms' }), expect: ANYONE_SIGNED_IN },
  'POST /api/rooms': { request: () => ({ path: '/api/rooms', body: { name: 'Matrix room' } }), expect: [401, 401, 201, 201, 201, 201, 201] },
  // A room is invisible to non-members: 404, the same as for a room that does not exist.
  'GET /api/rooms/[id]': { request: (f) => ({ path: `/api/rooms/${f.roomId}` }), expect: ROOM_MEMBERS },
  'PATCH /api/rooms/[id]': { request: (f) => ({ path: `/api/rooms/${f.roomId}`, body: { name: 'Renamed matrix' } }), expect: [401, 401, 404, 404, 403, 200, 200] },
  'DELETE /api/rooms/[id]': { request: (f) => ({ path: `/api/rooms/${f.roomId}` }), expect: [401, 401, 404, 404, 403, 403, 204] },
  'POST /api/rooms/[id]/members': { request: (f) => ({ path: `/api/rooms/${f.roomId}/members`, body: { username: f.candidate.username } }), expect: [401, 401, 404, 404, 403, 201, 201] },
  'DELETE /api/rooms/[id]/members/[userId]': { request: (f) => ({ path: `/api/rooms/${f.roomId}/members/${f.target.id}` }), expect: [401, 401, 404, 404, 403, 204, 204] },
  // Only the owner gives roles (an admin cannot make another admin).
  'PATCH /api/rooms/[id]/members/[userId]': { request: (f) => ({ path: `/api/rooms/${f.roomId}/members/${f.target.id}`, body: { role: 'admin' } }), expect: [401, 401, 404, 404, 403, 403, 200] },
  'GET /api/rooms/[id]/notifications': { request: (f) => ({ path: `/api/rooms/${f.roomId}/notifications` }), expect: ROOM_MEMBERS },
  'PUT /api/rooms/[id]/notifications': { request: (f) => ({ path: `/api/rooms/${f.roomId}/notifications`, body: { muted: true, mentions: false } }), expect: ROOM_MEMBERS },
  'GET /api/users': { request: () => ({ path: '/api/users?q=ma' }), expect: ANYONE_SIGNED_IN }
};

/** "METHOD /api/…" for every handler exported by a +server.ts under src/routes/api. */
function endpointsOnDisk(): string[] {
  const root = join(process.cwd(), 'src', 'routes');
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === '+server.ts') {
        const route = '/' + relative(root, dir).split('\\').join('/');
        for (const m of readFileSync(path, 'utf8').matchAll(/export const (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|fallback)\b/g)) found.push(`${m[1]} ${route}`);
      }
    }
  };
  walk(join(root, 'api'));
  return found.sort();
}

let app: InProcessApp;
let people: Record<'owner' | 'admin' | 'member' | 'former' | 'stranger' | 'lapsed' | 'peer', User> | undefined;
function users() {
  if (!people) throw new Error('users not made yet');
  return people;
}
let counter = 0;
function fresh(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;
}

test.beforeAll(async () => {
  app = await startInProcessApp();
  const hash = await hashPassword(PASSWORD);
  const make = async (prefix: string) => (await insertUser(app.db.sql, fresh(prefix), hash))!;
  people = {
    owner: await make('own'),
    admin: await make('adm'),
    member: await make('mem'),
    former: await make('for'),
    stranger: await make('str'),
    lapsed: await make('lap'),
    peer: await make('peer')
  };
});
test.afterAll(async () => {
  await app?.close();
});

/** A new room: owner, admin, member, the lapsed user (a member) and a target; `former` was in it and was removed. */
async function roomFixture(caller: Caller): Promise<Fixture> {
  const { sql } = app.db;
  const u = users();
  const room = await createRoom(sql, u.owner.id, 'Matrix');
  const target = (await insertUser(sql, fresh('tgt'), 'x'))!;
  const candidate = (await insertUser(sql, fresh('cand'), 'x'))!;
  await addMember(sql, room.id, u.admin.id, 'admin');
  for (const m of [u.member, u.lapsed, u.former, target]) await addMember(sql, room.id, m.id);
  await removeMember(sql, room.id, u.former.id);
  const as = { none: null, expired: u.lapsed, other: u.stranger, nonMember: u.former, member: u.member, admin: u.admin, owner: u.owner }[caller];
  return { roomId: room.id, target, candidate, as };
}

/** A session token for the caller: fresh each time; for `expired`, already past its expiry in the database. */
async function tokenFor(caller: Caller, user: User | null): Promise<string | null> {
  if (!user) return null;
  const { token, session } = await createSession(app.db.sql, user.id);
  if (caller === 'expired') await app.db.sql`update sessions set expires_at = now() - interval '1 second' where id = ${session.id}`;
  return token;
}

async function call(method: string, path: string, options: { token?: string | null; body?: unknown; origin?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.cookie = `session=${options.token}`;
  if (options.origin) headers.origin = options.origin;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(app.url + path, { method, headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
}

test('every endpoint under src/routes/api has a row in the matrix', () => {
  expect(endpointsOnDisk()).toEqual(Object.keys(MATRIX).sort());
});

test('each caller gets exactly the status the matrix says, on every endpoint', async () => {
  const got: Record<string, number[]> = {};
  const want: Record<string, number[]> = {};
  for (const [endpoint, row] of Object.entries(MATRIX)) {
    const method = endpoint.split(' ')[0]!;
    got[endpoint] = [];
    want[endpoint] = row.expect;
    for (const caller of ROLES) {
      const fixture = await roomFixture(caller);
      const { path, body } = row.request(fixture);
      const res = await call(method, path, { token: await tokenFor(caller, fixture.as), body });
      got[endpoint].push(res.status);
      // Every refusal is the API's JSON error, never a page or a stack.
      if (res.status >= 400) expect((await res.json()) as unknown, `${endpoint} as ${caller}`).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  }
  // One comparison of the whole table: a failure shows every cell that differs.
  expect(got).toEqual(want);
});

/** Opens /sync/<room> with a cookie (and an Origin, as a browser sends): the upgrade's HTTP refusal, the close code, or "open". */
function syncAnswer(roomId: string, token: string | null, origin?: string): Promise<{ refused: number } | { closed: number } | 'open'> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.cookie = `session=${token}`;
    if (origin) headers.origin = origin;
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/sync/${roomId}`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    // The server's first frame is sync step 1: it only comes to an accepted member.
    ws.on('message', () => {
      resolve('open');
      ws.close();
    });
    ws.on('close', (code) => resolve({ closed: code }));
    ws.on('error', () => {});
    setTimeout(() => reject(new Error('no answer from /sync')), 10_000).unref();
  });
}

test('/sync/<room>: 4401 without a live session, 4403 for non-members, open for members of any role', async () => {
  const answers: Record<string, unknown> = {};
  for (const caller of ROLES) {
    const fixture = await roomFixture(caller);
    answers[caller] = await syncAnswer(fixture.roomId, await tokenFor(caller, fixture.as));
  }
  expect(answers).toEqual({
    none: { closed: 4401 },
    expired: { closed: 4401 },
    other: { closed: 4403 },
    nonMember: { closed: 4403 },
    member: 'open',
    admin: 'open',
    owner: 'open'
  });
});

test('a request from another origin is refused: 403 on every state-changing endpoint, no upgrade on /sync', async () => {
  const evil = 'http://evil.example';
  for (const [endpoint, row] of Object.entries(MATRIX)) {
    const method = endpoint.split(' ')[0]!;
    if (method === 'GET') continue;
    const fixture = await roomFixture('owner');
    const { path, body } = row.request(fixture);
    const token = await tokenFor('owner', fixture.as);
    const res = await call(method, path, { token, body, origin: evil });
    expect(res.status, endpoint).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cross_origin');
    // Nothing happened: the owner's session and room are still there.
    expect((await call('GET', `/api/rooms/${fixture.roomId}`, { token })).status, endpoint).toBe(200);
  }
  // The app's own origin (what a browser sends on every POST) passes.
  const own = await call('POST', '/api/rooms', { token: await tokenFor('owner', users().owner), body: { name: 'Mine' }, origin: app.url });
  expect(own.status).toBe(201);

  // Cross-Site WebSocket Hijacking: a valid member cookie from a foreign page gets no socket.
  const fixture = await roomFixture('member');
  const token = await tokenFor('member', fixture.as);
  expect(await syncAnswer(fixture.roomId, token, evil)).toEqual({ refused: 403 });
  expect(await syncAnswer(fixture.roomId, token, 'null')).toEqual({ refused: 403 });
  expect(await syncAnswer(fixture.roomId, token, app.url)).toBe('open');
});

test('session ids: 240 random bits in form, rotated at sign-in, dead after sign-out and after a password change (HTTP and /sync)', async () => {
  const u = users();
  const login = async (token: string | null) => {
    const res = await call('POST', '/api/auth/login', { token, body: { username: u.member.username, password: PASSWORD } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { token: string }).token;
  };
  const alive = async (token: string) => (await call('GET', '/api/me', { token })).status === 200;

  // Form: id.secret, each 24 base32 characters = 120 bits from crypto.getRandomValues, all distinct.
  const tokens = await Promise.all(Array.from({ length: 20 }, () => createSession(app.db.sql, u.member.id).then((s) => s.token)));
  for (const t of tokens) expect(t).toMatch(/^[a-z2-7]{24}\.[a-z2-7]{24}$/);
  expect(new Set(tokens.flatMap((t) => t.split('.'))).size).toBe(40);

  // Rotation: signing in with a cookie already set ends that session (a planted id is worthless).
  const planted = await login(null);
  const rotated = await login(planted);
  expect(rotated).not.toBe(planted);
  expect(await alive(planted)).toBe(false);
  expect(await alive(rotated)).toBe(true);

  // Sign-out: the token is dead on HTTP, a new /sync upgrade is closed with 4401, and a
  // socket that session had open is closed with 4401 at once.
  const fixture = await roomFixture('member');
  const open = await openSocket(fixture.roomId, rotated);
  expect((await call('POST', '/api/auth/logout', { token: rotated })).status).toBe(204);
  expect(await open.closed).toBe(4401);
  expect(await alive(rotated)).toBe(false);
  expect(await syncAnswer(fixture.roomId, rotated)).toEqual({ closed: 4401 });

  // Password change: every session of the account ends, sockets included; the new one works.
  const laptop = await login(null);
  const phone = await login(null);
  const phoneSocket = await openSocket(fixture.roomId, phone);
  const changed = await call('POST', '/api/me/password', { token: laptop, body: { currentPassword: PASSWORD, newPassword: PASSWORD } });
  expect(changed.status).toBe(200);
  const fresh = ((await changed.json()) as { token: string }).token;
  expect(changed.headers.get('set-cookie')).toContain(`session=${fresh}`);
  expect(await phoneSocket.closed).toBe(4401);
  expect(await alive(laptop)).toBe(false);
  expect(await alive(phone)).toBe(false);
  expect(await syncAnswer(fixture.roomId, phone)).toEqual({ closed: 4401 });
  expect(await alive(fresh)).toBe(true);
  expect(await syncAnswer(fixture.roomId, fresh)).toBe('open');
});

test('password change: a wrong current password is a 403 counted by the sign-in throttle; the new password must follow the rules', async () => {
  const sql = app.db.sql;
  const user = (await insertUser(sql, fresh('pw'), await hashPassword(PASSWORD)))!;
  const { token } = await createSession(sql, user.id);
  const short = await call('POST', '/api/me/password', { token, body: { currentPassword: PASSWORD, newPassword: 'short' } });
  expect(short.status).toBe(400);
  expect(((await short.json()) as { error: { message: string } }).error.message).toMatch(/at least 8/);
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const wrong = await call('POST', '/api/me/password', { token, body: { currentPassword: `wrong guess ${i}`, newPassword: 'a brand new password' } });
    statuses.push(wrong.status);
    if (i === 0) expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('wrong_password');
  }
  // As for sign-in: five free failures, the sixth starts the wait, the seventh must wait.
  expect(statuses).toEqual([403, 403, 403, 403, 403, 403, 429]);
  // The throttle is the account's: signing in as that user is throttled too.
  expect((await call('POST', '/api/auth/login', { body: { username: user.username, password: PASSWORD } })).status).toBe(429);
  // Nothing changed: the session and the old password still stand.
  expect((await call('GET', '/api/me', { token })).status).toBe(200);
});

/** A member's socket, open (sync step 1 received); `closed` resolves with its close code. */
async function openSocket(roomId: string, token: string): Promise<{ closed: Promise<number> }> {
  const ws = new WebSocket(`${app.url.replace('http', 'ws')}/sync/${roomId}`, { headers: { cookie: `session=${token}` } });
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', (code) => reject(new Error(`closed with ${code} before opening`)));
  });
  return { closed };
}
