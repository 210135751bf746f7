import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { setNotificationSettings } from '../../src/lib/server/push/notification-settings';
import { saveSubscription } from '../../src/lib/server/push/subscriptions';
import { loadVapidKeys } from '../../src/lib/server/push/vapid';
import { addMember, createRoom, openDirectRoomWithin } from '../../src/lib/server/rooms';
import { getRuntime } from '../../src/lib/server/runtime';
import { createLogger } from '../../sync-server/log';
import { startPorchServer, type PorchServer } from '../../sync-server/porch-server';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { startPushService, type TestDevice } from '../helpers/push-service';
import { connectClient, waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

let db: TestDatabase;
let server: PorchServer;
let push: Awaited<ReturnType<typeof startPushService>>;
const clients: TestClient[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  push = await startPushService();
  // The push service is plain http on loopback: allowed for this server only, via its options.
  server = await startPorchServer({ sql: db.sql, log: createLogger('silent'), port: 0, host: '127.0.0.1', push: { allowInsecure: true } });
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
  await push?.close();
  await db?.close();
});

function client(roomId: string, token: string): TestClient {
  const c = connectClient(`http://127.0.0.1:${server.port}`, roomId, token);
  clients.push(c);
  return c;
}

async function user(name: string) {
  return makeUser(db.sql, `${name}_${Math.random().toString(36).slice(2, 7)}`);
}

async function subscribe(userId: string, name: string): Promise<TestDevice> {
  const device = push.device(`${name}-${Math.random().toString(36).slice(2, 7)}`);
  await saveSubscription(db.sql, userId, device.json);
  return device;
}

/** Sends from a connected client and waits until the server acked it and every push went out. */
async function sendAndSettle(c: TestClient, author: string, text: string): Promise<string> {
  await waitFor(() => c.provider.synced, 5000, 'synced');
  const sent = sendMessage(c.doc, { author, text });
  if (!sent.ok) throw new Error('not sent');
  const clock = Y.getState(c.doc.store, c.doc.clientID);
  await waitFor(() => (c.acks.get(c.doc.clientID) ?? 0) >= clock, 5000, 'ack');
  await waitFor(() => server.notifier.pending === 0, 5000, 'pushes settled');
  return sent.message.id;
}

const to = (device: TestDevice) => push.received.filter((r) => device.endpoint.endsWith(r.path));

describe('push notifications', () => {
  it('sends an encrypted, VAPID-signed push to a member who is not connected', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const room = await createRoom(db.sql, ana.id, 'Garden club');
    await addMember(db.sql, room.id, bo.id);
    const bosPhone = await subscribe(bo.id, 'bo');
    const anasLaptop = await subscribe(ana.id, 'ana');

    const a = client(room.id, ana.token);
    const text = 'The tomatoes are ripe! ' + 'x'.repeat(300);
    const messageId = await sendAndSettle(a, ana.id, text);

    // Never about one's own message.
    expect(to(anasLaptop)).toHaveLength(0);
    const [received] = to(bosPhone);
    expect(received).toBeDefined();
    const { publicKey } = await loadVapidKeys(db.sql);
    expect(received!.headers.authorization).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${publicKey}$`));
    expect(received!.headers.ttl).toBe('86400');
    expect(received!.headers.urgency).toBe('normal');
    expect(received!.headers.topic).toBe(room.id.replace(/-/g, ''));
    expect(received!.headers['content-encoding']).toBe('aes128gcm');
    const payload = bosPhone.decrypt(received!.body) as Record<string, string>;
    expect(payload).toMatchObject({ roomId: room.id, roomName: 'Garden club', messageId, author: ana.username });
    expect(payload.preview!.length).toBeLessThanOrEqual(140);
    expect(text.startsWith(payload.preview!.slice(0, -1))).toBe(true);
  });

  it('skips a member who has the room visible (awareness active) but not one in the background', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const cy = await user('cy');
    const room = await createRoom(db.sql, ana.id, 'Book club');
    await addMember(db.sql, room.id, bo.id);
    await addMember(db.sql, room.id, cy.id);
    const bosPhone = await subscribe(bo.id, 'bo');
    const cysPhone = await subscribe(cy.id, 'cy');
    const b = client(room.id, bo.token);
    const c = client(room.id, cy.token);
    b.provider.awareness.setLocalState({ user: { id: bo.id, name: bo.username, color: 'red' }, typing: false, active: true });
    c.provider.awareness.setLocalState({ user: { id: cy.id, name: cy.username, color: 'blue' }, typing: false, active: false });

    const a = client(room.id, ana.token);
    await waitFor(() => a.provider.awareness.getStates().size >= 2, 5000, 'presence reached the server');
    await sendAndSettle(a, ana.id, 'chapter 3 tonight?');
    expect(to(bosPhone)).toHaveLength(0);
    expect(to(cysPhone)).toHaveLength(1);
  });

  it('a muted room sends nothing, but a mention does when mentions are on (urgency high)', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const room = await createRoom(db.sql, ana.id, 'Noisy');
    await addMember(db.sql, room.id, bo.id);
    await setNotificationSettings(db.sql, room.id, bo.id, { muted: true, mentions: true });
    const bosPhone = await subscribe(bo.id, 'bo');
    const a = client(room.id, ana.token);

    await sendAndSettle(a, ana.id, 'chatter nobody needs');
    expect(to(bosPhone)).toHaveLength(0);

    await sendAndSettle(a, ana.id, `hey @${bo.username.toUpperCase()}, look`);
    expect(to(bosPhone)).toHaveLength(1);
    expect(to(bosPhone)[0]!.headers.urgency).toBe('high');

    await setNotificationSettings(db.sql, room.id, bo.id, { muted: true, mentions: false });
    // What PUT /api/rooms/:id/notifications does after storing the settings.
    getRuntime().access.audienceChanged(room.id);
    await sendAndSettle(a, ana.id, `@${bo.username} again`);
    expect(to(bosPhone)).toHaveLength(1);
  });

  it('a DM is named after the sender and is urgent', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const opened = await openDirectRoomWithin(db.sql, ana, bo, Infinity);
    if ('overLimit' in opened) throw new Error('a DM with no room limit was refused');
    const { room } = opened;
    const bosPhone = await subscribe(bo.id, 'bo');
    await sendAndSettle(client(room.id, ana.token), ana.id, 'psst');
    const [received] = to(bosPhone);
    expect(received!.headers.urgency).toBe('high');
    expect(bosPhone.decrypt(received!.body)).toMatchObject({ roomName: ana.username, preview: 'psst' });
  });

  it('a member added or a device registered after the room was read is notified once the API says so', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const cy = await user('cy');
    const room = await createRoom(db.sql, ana.id, 'Growing');
    await addMember(db.sql, room.id, bo.id);
    const bosPhone = await subscribe(bo.id, 'bo');
    const a = client(room.id, ana.token);
    await sendAndSettle(a, ana.id, 'first');
    expect(to(bosPhone)).toHaveLength(1);

    // As POST /api/rooms/:id/members and POST /api/push/subscriptions do.
    await addMember(db.sql, room.id, cy.id);
    getRuntime().access.audienceChanged(room.id);
    const cysPhone = await subscribe(cy.id, 'cy');
    getRuntime().access.audienceChanged(null);
    await sendAndSettle(a, ana.id, 'second');
    expect(to(bosPhone)).toHaveLength(2);
    expect(to(cysPhone)).toHaveLength(1);
  });

  it('a 410 from the push service removes the subscription', async () => {
    const ana = await user('ana');
    const bo = await user('bo');
    const room = await createRoom(db.sql, ana.id, 'Gone');
    await addMember(db.sql, room.id, bo.id);
    const stale = await subscribe(bo.id, 'stale');
    const fresh = await subscribe(bo.id, 'fresh');
    push.status.set(new URL(stale.endpoint).pathname, 410);

    await sendAndSettle(client(room.id, ana.token), ana.id, 'anyone?');
    expect(to(stale)).toHaveLength(1);
    expect(to(fresh)).toHaveLength(1);
    const rows = await db.sql<{ endpoint: string }[]>`select endpoint from push_subscriptions where user_id = ${bo.id}`;
    expect(rows.map((r) => r.endpoint)).toEqual([fresh.endpoint]);
  });
});
