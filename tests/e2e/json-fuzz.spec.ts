import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { request } from 'node:http';
import * as v from 'valibot';
import { MAX_JSON_BODY_BYTES } from '../../src/lib/server/http/limits';
import { NotificationSettingsSchema } from '../../src/lib/server/push/notification-settings';
import { PushSubscriptionSchema, UnsubscribeSchema } from '../../src/lib/server/push/subscriptions';
import { AddMemberSchema, NewRoomSchema } from '../../src/lib/server/rooms';
import { CredentialsSchema, LoginSchema, PasswordChangeSchema } from '../../src/lib/server/users';
import { startInProcessApp, type InProcessApp } from './in-process-app';

/**
 * Issue 7, item 3: every JSON endpoint, fed a few hundred generated bad bodies, answers
 * each with a 4xx and the API's JSON error (never a 5xx, never a hang); afterwards the app
 * still works and the database holds nothing from those requests.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const PASSWORD = 'correct horse battery';

/** Every endpoint that reads a JSON body, with the schema that body must satisfy. */
const ENDPOINTS: { method: string; path: (roomId: string) => string; schema: v.ObjectSchema<v.ObjectEntries, undefined> }[] = [
  { method: 'POST', path: () => '/api/auth/register', schema: CredentialsSchema },
  { method: 'POST', path: () => '/api/auth/login', schema: LoginSchema },
  { method: 'POST', path: () => '/api/me/password', schema: PasswordChangeSchema },
  { method: 'POST', path: () => '/api/dms', schema: AddMemberSchema },
  { method: 'POST', path: () => '/api/rooms', schema: NewRoomSchema },
  { method: 'POST', path: (id) => `/api/rooms/${id}/members`, schema: AddMemberSchema },
  { method: 'PUT', path: (id) => `/api/rooms/${id}/notifications`, schema: NotificationSettingsSchema },
  { method: 'POST', path: () => '/api/push/subscriptions', schema: PushSubscriptionSchema },
  { method: 'DELETE', path: () => '/api/push/subscriptions', schema: UnsubscribeSchema }
];

interface BadBody {
  contentType: string | null;
  body: Uint8Array;
  what: string;
}

const encode = (text: string) => new TextEncoder().encode(text);
const json = (value: unknown, what: string): BadBody => ({ contentType: 'application/json', body: encode(JSON.stringify(value) ?? ''), what });

/** Values of every JSON type, and strings from empty to just under the body limit. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 300, unit: 'binary' }),
  fc.integer({ min: 257, max: MAX_JSON_BODY_BYTES - 200 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}, '', ' ', '\u0000', '\u202e', '__proto__')
);

/** Bad bodies for one schema: wrong shapes, wrong types, missing and extra fields, huge strings, bad bytes. */
function badBodies(schema: v.ObjectSchema<v.ObjectEntries, undefined>): fc.Arbitrary<BadBody> {
  const fields = Object.keys(schema.entries);
  const invalid = (value: unknown) => !v.safeParse(schema, value).success;
  return fc.oneof(
    // Not an object at all.
    fc.jsonValue({ maxDepth: 3 }).filter((x) => typeof x !== 'object' || x === null || Array.isArray(x)).map((x) => json(x, 'not an object')),
    // The right field names with any values, some missing, plus extra fields (prototype keys too).
    fc
      .record({ known: fc.dictionary(fc.constantFrom(...fields), anyValue), extra: fc.dictionary(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'toString')), anyValue, { maxKeys: 3 }) })
      .map(({ known, extra }) => ({ ...extra, ...known }))
      .filter(invalid)
      .map((x) => json(x, 'fields of the wrong type or missing')),
    // Deep nesting, up to the size limit.
    fc.tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean()).map(([depth, arrays]) => ({
      contentType: 'application/json',
      body: encode(arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
      what: 'deep nesting'
    })),
    // Not JSON.
    fc
      .string({ maxLength: 200 })
      .filter((text) => {
        try {
          JSON.parse(text);
          return false;
        } catch {
          return true;
        }
      })
      .map((text) => ({ contentType: 'application/json', body: encode(text), what: 'invalid JSON' })),
    // Bytes that are not UTF-8 inside an otherwise fine object.
    fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => ({
      contentType: 'application/json',
      body: new Uint8Array([...encode(`{"${fields[0]}":"`), 0xff, 0xc3, ...bytes.map((b) => b | 0x80), ...encode('"}')]),
      what: 'invalid UTF-8'
    })),
    // Anything, sent as something other than JSON (forms included).
    fc
      .tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/jsonp'), fc.jsonValue({ maxDepth: 2 }))
      .map(([contentType, value]) => ({ contentType, body: encode(JSON.stringify(value)), what: 'wrong content type' })),
    // No body, or no content type.
    fc.constantFrom<BadBody>({ contentType: 'application/json', body: new Uint8Array(), what: 'empty body' }, { contentType: null, body: encode('{}'), what: 'no content type' })
  );
}

let app: InProcessApp;
let token = '';
let roomId: string;

test.beforeAll(async () => {
  app = await startInProcessApp();
  const registered = await send('POST', '/api/auth/register', 'application/json', encode(JSON.stringify({ username: `fuzz${Date.now().toString(36)}`, password: PASSWORD })));
  token = ((await registered.json()) as { token: string }).token;
  const room = await send('POST', '/api/rooms', 'application/json', encode(JSON.stringify({ name: 'Fuzzed' })));
  roomId = ((await room.json()) as { room: { id: string } }).room.id;
});
test.afterAll(async () => {
  await app?.close();
});

function send(method: string, path: string, contentType: string | null, body: Uint8Array): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token) headers.cookie = `session=${token}`;
  if (contentType !== null) headers['content-type'] = contentType;
  // A hang fails the test instead of stalling it.
  return fetch(app.url + path, { method, headers, body: body as Uint8Array<ArrayBuffer>, signal: AbortSignal.timeout(5000) });
}

/** Row counts of every table the API writes to. */
async function tableCounts(): Promise<Record<string, number>> {
  const tables = ['users', 'sessions', 'rooms', 'room_members', 'push_subscriptions', 'room_notification_settings'];
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = Number((await app.db.sql<{ n: number }[]>`select count(*)::int as n from ${app.db.sql(t)}`)[0]!.n);
  return counts;
}

async function expectApiError(res: Response, label: string): Promise<void> {
  expect(res.status, label).toBeGreaterThanOrEqual(400);
  expect(res.status, label).toBeLessThan(500);
  expect(res.headers.get('content-type'), label).toMatch(/^application\/json/);
  expect((await res.json()) as unknown, label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

test(`every JSON endpoint answers ${RUNS} generated bad bodies with a 4xx JSON error, and keeps nothing`, async () => {
  test.setTimeout(120_000);
  const before = await tableCounts();
  const seen: Record<number, number> = {};
  for (const endpoint of ENDPOINTS) {
    const path = endpoint.path(roomId);
    await fc.assert(
      fc.asyncProperty(badBodies(endpoint.schema), async (bad) => {
        const res = await send(endpoint.method, path, bad.contentType, bad.body);
        seen[res.status] = (seen[res.status] ?? 0) + 1;
        await expectApiError(res, `${endpoint.method} ${path}: ${bad.what}`);
      }),
      { numRuns: RUNS }
    );
  }
  expect(await tableCounts()).toEqual(before);
  // The answers were refusals of the body, not of the caller: the session held throughout.
  expect(Object.keys(seen).map(Number).sort()).toEqual(expect.arrayContaining([400, 415]));
  expect(seen[401] ?? 0).toBe(0);

  // Still working: the same caller creates a room.
  const ok = await send('POST', '/api/rooms', 'application/json', encode(JSON.stringify({ name: 'After the storm' })));
  expect(ok.status).toBe(201);
});

/** Sends `total` bytes of spaces, with a Content-Length or chunked; the answer, or a rejection after 10 s. */
function sendLarge(method: string, path: string, total: number, chunked: boolean): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { cookie: `session=${token}`, 'content-type': 'application/json' };
    // Explicit: node:http does not chunk a DELETE body by default.
    if (chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(total);
    const req = request(app.url + path, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      const done = () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', () => {});
    setTimeout(() => {
      req.destroy();
      reject(new Error('no answer to a large body'));
    }, 10_000).unref();
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < total) {
        sent += chunk.byteLength;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

test(`bodies over ${MAX_JSON_BODY_BYTES / 1024} KiB get 413, declared or streamed, and a body at the limit is read`, async () => {
  const twoMiB = 2 * 1024 * 1024;
  for (const endpoint of ENDPOINTS) {
    for (const chunked of [false, true]) {
      const res = await sendLarge(endpoint.method, endpoint.path(roomId), twoMiB, chunked);
      const label = `${endpoint.method} ${endpoint.path(roomId)} 2 MiB ${chunked ? 'chunked' : 'declared'}`;
      expect(res.status, label).toBe(413);
      expect(res.type, label).toMatch(/^application\/json/);
      expect(JSON.parse(res.body), label).toMatchObject({ error: { code: 'payload_too_large' } });
    }
  }
  expect((await sendLarge('POST', '/api/rooms', MAX_JSON_BODY_BYTES + 1, false)).status).toBe(413);
  // Just under the limit: read, parsed and judged on its content (a name too long), not its size.
  const padded = encode(JSON.stringify({ name: 'n'.repeat(MAX_JSON_BODY_BYTES - 20) }));
  expect(padded.byteLength).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES);
  const atLimit = await send('POST', '/api/rooms', 'application/json', padded);
  expect(atLimit.status).toBe(400);
  expect(((await atLimit.json()) as { error: { message: string } }).error.message).toMatch(/at most 80/);
});
