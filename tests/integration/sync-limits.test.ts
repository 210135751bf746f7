import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { encodeFrame } from '../../src/lib/protocol/frames';
import { addMember, createRoom } from '../../src/lib/server/rooms';
import { syncSuite } from '../helpers/server';
import { RawClient } from '../helpers/raw-client';
import { waitFor, type TestClient } from '../helpers/sync-client';
import { makeUser } from '../helpers/users';

/**
 * SPEC 11: every limit of a sync connection, crossed. Small limits so that crossing them
 * is quick; the defaults are in sync-server/config.ts.
 */
const FRAME_LIMIT = 64 * 1024;
const BURST = 20;
const PER_SECOND = 10;
const PER_USER = 3;
const suite = syncSuite({}, { maxFrameBytes: FRAME_LIMIT, rateBurst: BURST, ratePerSecond: PER_SECOND, maxConnectionsPerUser: PER_USER });
const client = (roomId: string, token: string): TestClient => suite.client(roomId, token);

async function roomWith(...names: string[]) {
  const tag = Math.random().toString(36).slice(2, 7);
  const users = [];
  for (const n of names) users.push(await makeUser(suite.db.sql, `${n}_${tag}`));
  const room = await createRoom(suite.db.sql, users[0]!.id, 'Limits');
  for (const u of users.slice(1)) await addMember(suite.db.sql, room.id, u.id);
  return { room, users };
}

const syncUrl = (roomId: string) => `${suite.server.url.replace('http', 'ws')}/sync/${roomId}`;

async function raw(roomId: string, token: string): Promise<RawClient> {
  const c = new RawClient(syncUrl(roomId), token);
  await c.ready;
  return c;
}

/** An awareness frame for `clientId` naming `userId`, padded so the whole frame is `size` bytes. */
function awarenessFrameOfSize(size: number, clientId: number, userId: string): Uint8Array {
  const build = (padding: number) => {
    const state = JSON.stringify({ user: { id: userId, name: 'pad', color: '#000' }, pad: 'x'.repeat(padding) });
    const payload = encoding.createEncoder();
    encoding.writeVarUint(payload, 1);
    encoding.writeVarUint(payload, clientId);
    encoding.writeVarUint(payload, 1);
    encoding.writeVarString(payload, state);
    return encodeFrame({ kind: 'awareness', update: encoding.toUint8Array(payload) });
  };
  // Varint lengths shift by a byte or two as the padding grows: settle by iterating.
  let padding = size;
  for (let i = 0; i < 5; i++) padding += size - build(padding).byteLength;
  const frame = build(padding);
  if (frame.byteLength !== size) throw new Error(`could not build a ${size}-byte frame`);
  return frame;
}

const QUERY_AWARENESS = encodeFrame({ kind: 'query-awareness' });

const updateFrame = (update: Uint8Array): Uint8Array => encodeFrame({ kind: 'update', update });

describe('sync connection limits (SPEC 11)', () => {
  it('MAX_FRAME_BYTES: a frame of exactly the limit is handled, one byte more closes with 1009', async () => {
    const { room, users } = await roomWith('frame');
    const at = await raw(room.id, users[0]!.token);
    const before = at.received;
    expect(await at.send([awarenessFrameOfSize(FRAME_LIMIT, 4242, users[0]!.id)])).toEqual({ open: true });
    // Accepted: the server echoes an accepted awareness change to its sender (SPEC 6).
    await waitFor(() => at.received > before, 5000, 'the awareness echo');
    at.close();

    const over = await raw(room.id, users[0]!.token);
    expect(await over.send([awarenessFrameOfSize(FRAME_LIMIT + 1, 4243, users[0]!.id)])).toMatchObject({ open: false, code: 1009 });
  });

  it('message rate: a burst passes, more closes with 4429; the bucket refills; others are unaffected', async () => {
    const { room, users } = await roomWith('rate', 'calm');
    const honest = client(room.id, users[1]!.token);
    await waitFor(() => honest.provider.synced, 5000, 'honest client synced');

    const bursty = await raw(room.id, users[0]!.token);
    // Its answer to the server's step 1 took a token already.
    expect(await bursty.send(Array.from({ length: BURST - 1 }, () => QUERY_AWARENESS))).toEqual({ open: true });
    // Refilled at PER_SECOND: after 0.5 s there are about 5 tokens again, not 20.
    await new Promise((r) => setTimeout(r, 500));
    expect(await bursty.send(Array.from({ length: 4 }, () => QUERY_AWARENESS))).toEqual({ open: true });
    const result = await bursty.send(Array.from({ length: BURST }, () => QUERY_AWARENESS));
    expect(result).toMatchObject({ open: false, code: 4429, reason: expect.stringMatching(/slow down/i) });

    sendMessage(honest.doc, { author: users[1]!.id, text: 'unbothered' });
    const clock = Y.getState(honest.doc.store, honest.doc.clientID);
    await waitFor(() => (honest.acks.get(honest.doc.clientID) ?? 0) >= clock, 5000, 'honest ack');
    expect(honest.closes).toEqual([]);
  });

  it('message rate: echoes of a busy room\'s presence are free; y-websocket sends back every change it hears', async () => {
    const { room, users } = await roomWith('busy', 'quiet');
    const quiet = client(room.id, users[1]!.token);
    await waitFor(() => quiet.provider.synced, 5000, 'synced');
    // Two tabs of one member, each making 15 presence changes every 1.5 s: each within its
    // own limit (burst 20, 10/s), together twice what the quiet client may send; it echoes
    // every one of them.
    const tabs = [await raw(room.id, users[0]!.token), await raw(room.id, users[0]!.token)];
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(
        tabs.map((tab, t) => tab.send(Array.from({ length: 15 }, (_, i) => awarenessFrameOfSize(200, 9000 + t * 1000 + round * 15 + i, users[0]!.id))))
      );
      expect(results).toEqual([{ open: true }, { open: true }]);
      await new Promise((r) => setTimeout(r, 1500));
    }
    expect(quiet.closes).toEqual([]);
    expect(quiet.provider.wsconnected).toBe(true);
    for (const tab of tabs) tab.close();
  });

  it('message rate: the official client catching up after 300 offline messages stays under the default limits', async () => {
    // The defaults (burst 200, 50/s) are far above this; this suite runs with 20 and 10/s,
    // and catching up still passes: offline edits go out as one sync step 2, not 300 frames.
    const { room, users } = await roomWith('tunnel');
    const c = client(room.id, users[0]!.token);
    await waitFor(() => c.provider.synced, 5000, 'synced');
    c.provider.disconnect();
    for (let i = 0; i < 300; i++) sendMessage(c.doc, { author: users[0]!.id, text: `offline ${i}` });
    c.provider.connect();
    const clock = Y.getState(c.doc.store, c.doc.clientID);
    await waitFor(() => (c.acks.get(c.doc.clientID) ?? 0) >= clock, 10_000, 'ack of the last offline message');
    expect(c.closes.filter((e) => e.code === 4429)).toEqual([]);
  });

  it('MAX_CONNECTIONS_PER_USER: the next connection, in any room, closes with 4429; closing one frees a place', async () => {
    const { room, users } = await roomWith('many', 'other');
    const second = await createRoom(suite.db.sql, users[0]!.id, 'Second');
    const open = [await raw(room.id, users[0]!.token), await raw(room.id, users[0]!.token), await raw(second.id, users[0]!.token)];
    expect(open).toHaveLength(PER_USER);

    const refused = new RawClient(syncUrl(second.id), users[0]!.token);
    await expect(refused.ready).rejects.toThrow(/4429 Too many connections/);
    // Someone else is not counted against this user.
    const neighbour = await raw(room.id, users[1]!.token);
    expect(await neighbour.send([QUERY_AWARENESS])).toEqual({ open: true });

    open[0]!.close();
    await waitFor(() => open[0]!.closed !== null, 5000, 'first socket closed');
    const again = await raw(second.id, users[0]!.token);
    expect(await again.send([QUERY_AWARENESS])).toEqual({ open: true });
    for (const c of [...open, neighbour, again]) c.close();
  });

  it('SPEC 7.8: frames sent after a refused update are not handled, however fast they follow', async () => {
    const { room, users } = await roomWith('cheat', 'watch');
    const watcher = client(room.id, users[1]!.token);
    await waitFor(() => watcher.provider.synced, 5000, 'watcher synced');
    const doc = new Y.Doc();
    sendMessage(doc, { author: users[0]!.id, text: 'sneaked in after a refusal' });
    const valid = updateFrame(Y.encodeStateAsUpdate(doc));
    const refused = updateFrame(new Uint8Array([1, 2, 3, 250, 250]));

    const cheat = await raw(room.id, users[0]!.token);
    expect(await cheat.send([refused, valid])).toMatchObject({ open: false, code: 4400 });
    await new Promise((r) => setTimeout(r, 200));
    const [row] = await suite.db.sql<{ n: number }[]>`select count(*)::int as n from room_updates where room_id = ${room.id}`;
    expect(row!.n).toBe(0);
    expect(listMessages(watcher.doc)).toEqual([]);
  });

  it('a text frame, trailing bytes after a message and an empty frame each close with 4400', async () => {
    const { room, users } = await roomWith('texty');
    const token = users[0]!.token;
    const text = await raw(room.id, token);
    expect(await text.send(['{"type":"sync"}'])).toMatchObject({ open: false, code: 4400, reason: expect.stringMatching(/text/i) });
    const trailing = await raw(room.id, token);
    // Sync step 1 with an empty state vector, then one byte too many.
    expect(await trailing.send([new Uint8Array([0, 0, 1, 0, 7])])).toMatchObject({ open: false, code: 4400 });
    const empty = await raw(room.id, token);
    expect(await empty.send([new Uint8Array(0)])).toMatchObject({ open: false, code: 4400 });
    const fine = await raw(room.id, token);
    expect(await fine.send([new Uint8Array([0, 0, 1, 0])])).toEqual({ open: true });
    fine.close();
  });
});
