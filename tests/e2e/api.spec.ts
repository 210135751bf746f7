import { expect, test, type APIRequestContext } from '@playwright/test';
import { username } from './helpers';

async function register(request: APIRequestContext, name = username('api')) {
  const res = await request.post('/api/auth/register', { data: { username: name, password: 'correct horse battery' } });
  expect(res.status()).toBe(201);
  return { name, body: (await res.json()) as { user: { id: string; username: string }; token: string } };
}

test.describe('HTTP API', () => {
  test('register validates its body: short name, short password, bad JSON, taken name', async ({ request }) => {
    const short = await request.post('/api/auth/register', { data: { username: 'ab', password: 'correct horse battery' } });
    expect(short.status()).toBe(400);
    expect((await short.json()).error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/at least 3/) });
    const weak = await request.post('/api/auth/register', { data: { username: username('ok'), password: 'abc' } });
    expect(weak.status()).toBe(400);
    expect((await weak.json()).error.message).toMatch(/Password/);
    const garbage = await request.post('/api/auth/register', { headers: { 'content-type': 'application/json' }, data: '{"username":' });
    expect(garbage.status()).toBe(400);
    const { name } = await register(request);
    const taken = await request.post('/api/auth/register', { data: { username: name.toUpperCase(), password: 'another password' } });
    expect(taken.status()).toBe(409);
    expect((await taken.json()).error.code).toBe('username_taken');
  });

  test('login gives the same 401 for an unknown user and a wrong password; a session cookie on success', async ({ playwright, baseURL }) => {
    const ctx = await playwright.request.newContext({ baseURL });
    const { name } = await register(ctx);
    const anon = await playwright.request.newContext({ baseURL });
    const unknown = await anon.post('/api/auth/login', { data: { username: username('nobody'), password: 'whatever pass' } });
    const wrong = await anon.post('/api/auth/login', { data: { username: name, password: 'whatever pass' } });
    expect(unknown.status()).toBe(401);
    expect(wrong.status()).toBe(401);
    expect(await unknown.json()).toEqual(await wrong.json());
    const ok = await anon.post('/api/auth/login', { data: { username: name, password: 'correct horse battery' } });
    expect(ok.status()).toBe(200);
    const cookie = ok.headers()['set-cookie'] ?? '';
    expect(cookie).toMatch(/session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect((await anon.get('/api/me')).status()).toBe(200);
    expect((await anon.post('/api/auth/logout')).status()).toBe(204);
    expect((await anon.get('/api/me')).status()).toBe(401);
    // The old token is dead server-side, not just forgotten by this client.
    const bearer = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${(await ok.json()).token}` } });
    expect((await bearer.get('/api/me')).status()).toBe(401);
  });

  test('repeated wrong passwords are throttled with 429 and Retry-After', async ({ playwright, baseURL }) => {
    const ctx = await playwright.request.newContext({ baseURL });
    const { name } = await register(ctx);
    let last = 0;
    let retryAfter: string | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await ctx.post('/api/auth/login', { data: { username: name, password: `wrong-${i}-password` } });
      last = res.status();
      retryAfter = res.headers()['retry-after'];
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  test('rooms and members: create, list, add by name, remove; errors have a code and message', async ({ playwright, baseURL }) => {
    const owner = await playwright.request.newContext({ baseURL });
    await register(owner);
    const guest = await playwright.request.newContext({ baseURL });
    const { name: guestName, body: guestBody } = await register(guest);

    const created = await owner.post('/api/rooms', { data: { name: 'Book club', topic: 'Monthly' } });
    expect(created.status()).toBe(201);
    const { room } = (await created.json()) as { room: { id: string; name: string } };
    expect(room.name).toBe('Book club');
    expect((await owner.post('/api/rooms', { data: { name: '' } })).status()).toBe(400);

    // Not a member yet: the room does not exist as far as the guest can tell.
    expect((await guest.get(`/api/rooms/${room.id}`)).status()).toBe(404);
    expect((await guest.post(`/api/rooms/${room.id}/members`, { data: { username: guestName } })).status()).toBe(404);

    const added = await owner.post(`/api/rooms/${room.id}/members`, { data: { username: guestName } });
    expect(added.status()).toBe(201);
    expect((await owner.post(`/api/rooms/${room.id}/members`, { data: { username: guestName } })).status()).toBe(409);
    const unknown = await owner.post(`/api/rooms/${room.id}/members`, { data: { username: username('ghost') } });
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error).toMatchObject({ code: 'user_not_found' });

    const list = (await (await guest.get('/api/rooms')).json()) as { rooms: { id: string }[] };
    expect(list.rooms.map((r) => r.id)).toContain(room.id);
    // A plain member may not add or remove others, nor delete the room.
    expect((await guest.delete(`/api/rooms/${room.id}`)).status()).toBe(403);

    // The guest leaves; the room is gone from their list.
    expect((await guest.delete(`/api/rooms/${room.id}/members/${guestBody.user.id}`)).status()).toBe(204);
    const after = (await (await guest.get('/api/rooms')).json()) as { rooms: { id: string }[] };
    expect(after.rooms.map((r) => r.id)).not.toContain(room.id);

    expect((await owner.delete(`/api/rooms/${room.id}`)).status()).toBe(204);
    expect((await owner.get(`/api/rooms/${room.id}`)).status()).toBe(404);
  });

  test('a direct message room is one per pair, whoever opens it', async ({ playwright, baseURL }) => {
    const a = await playwright.request.newContext({ baseURL });
    const { name: aName } = await register(a);
    const b = await playwright.request.newContext({ baseURL });
    const { name: bName } = await register(b);
    const first = await a.post('/api/dms', { data: { username: bName } });
    expect(first.status()).toBe(201);
    const again = await b.post('/api/dms', { data: { username: aName } });
    expect(again.status()).toBe(200);
    expect((await again.json()).room.id).toBe((await first.json()).room.id);
    const search = (await (await a.get(`/api/users?q=${bName.slice(0, 5)}`)).json()) as { users: { username: string }[] };
    expect(search.users.map((u) => u.username)).toContain(bName);
  });

  test('healthz answers 200 with the database up; unknown API paths and no session answer JSON errors', async ({ request }) => {
    expect((await request.get('/healthz')).status()).toBe(200);
    const rooms = await request.get('/api/rooms');
    expect(rooms.status()).toBe(401);
    expect((await rooms.json()).error.code).toBe('unauthenticated');
  });
});
