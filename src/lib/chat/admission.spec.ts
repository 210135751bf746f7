import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { admitUpdate } from './admission';
import { sendMessage } from './messages';

/** Judged as user `a`, who owns every clientID here. */
const checkUpdate = (doc: Y.Doc, update: Uint8Array) => admitUpdate(doc, update, { userId: 'a', role: 'member' }, () => 'a');

function twoEdits() {
  const client = new Y.Doc();
  sendMessage(client, { author: 'a', text: 'one' });
  const first = Y.encodeStateAsUpdate(client);
  const sv = Y.encodeStateVector(client);
  sendMessage(client, { author: 'a', text: 'two' });
  const second = Y.encodeStateAsUpdate(client, sv);
  return { client, first, second };
}

describe('admitUpdate: can it be applied (SPEC 7)', () => {
  it('accepts an update whose dependencies are present and names its end clock', () => {
    const { client, first, second } = twoEdits();
    const server = new Y.Doc();
    const check = checkUpdate(server, first);
    expect(check.ok).toBe(true);
    Y.applyUpdate(server, first);
    const next = checkUpdate(server, second);
    expect(next.ok && next.ends.get(client.clientID)).toBe(Y.getState(client.store, client.clientID));
  });

  it('refuses an update with a gap before it, leaving the doc untouched', () => {
    const { second } = twoEdits();
    const server = new Y.Doc();
    expect(checkUpdate(server, second)).toEqual({ ok: false, reason: 'Update depends on changes the server does not have', missing: true });
    expect(server.store.pendingStructs).toBeNull();
  });

  it('refuses an update that deletes content the server never saw', () => {
    const { client, first } = twoEdits();
    const server = new Y.Doc();
    const sv = Y.encodeStateVector(client);
    client.getArray('messages').delete(0, 1);
    const deletion = Y.encodeStateAsUpdate(client, sv);
    expect(checkUpdate(server, deletion).ok).toBe(false);
    Y.applyUpdate(server, first);
    expect(checkUpdate(server, deletion).ok).toBe(true);
  });

  it('refuses bytes that are not an update', () => {
    expect(checkUpdate(new Y.Doc(), new Uint8Array([255, 255, 255, 255, 255, 1]))).toMatchObject({ ok: false });
  });

  it('marks an update that adds nothing as empty (a resend)', () => {
    const { first } = twoEdits();
    const server = new Y.Doc();
    Y.applyUpdate(server, first);
    const again = checkUpdate(server, Y.encodeStateAsUpdate(new Y.Doc()));
    expect(again.ok && again.empty).toBe(true);
  });
});

describe('admitUpdate: may this writer write it (SPEC 7.1, 7.3)', () => {
  it('judges the write rules on the same decode: a forged author is refused', () => {
    const client = new Y.Doc();
    sendMessage(client, { author: 'bo', text: 'I am bo' });
    const verdict = admitUpdate(new Y.Doc(), Y.encodeStateAsUpdate(client), { userId: 'a', role: 'member' }, () => undefined);
    expect(verdict).toEqual({ ok: false, reason: 'Message author is not the writer' });
  });

  it('names the new clientIDs and the messages the update adds, leaving out one it deletes too', () => {
    const client = new Y.Doc();
    sendMessage(client, { author: 'a', text: 'kept' });
    const gone = sendMessage(client, { author: 'a', text: 'taken back' });
    if (!gone.ok) throw new Error('send failed');
    client.getArray('messages').delete(1, 1);
    const verdict = admitUpdate(new Y.Doc(), Y.encodeStateAsUpdate(client), { userId: 'a', role: 'member' }, () => undefined);
    expect(verdict.ok && verdict.newClients).toEqual([client.clientID]);
    expect(verdict.ok && verdict.addedMessages.map((m) => m.text)).toEqual(['kept']);
  });

  it("refuses writing on with a clientID the doc has structs of but whose owner it does not know", () => {
    const { client, first, second } = twoEdits();
    const server = new Y.Doc();
    Y.applyUpdate(server, first);
    // The binding of the first writer was never read (a race while loading the room):
    // the clientID is not free for whoever comes next.
    const verdict = admitUpdate(server, second, { userId: 'bo', role: 'member' }, () => undefined);
    expect(verdict).toEqual({ ok: false, reason: 'Client id belongs to another user' });
    expect(Y.getState(server.store, client.clientID)).toBeLessThan(Y.getState(client.store, client.clientID));
  });
});
