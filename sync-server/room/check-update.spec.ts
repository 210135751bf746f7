import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { checkUpdate } from './check-update';

function twoEdits() {
  const client = new Y.Doc();
  sendMessage(client, { author: 'a', text: 'one' });
  const first = Y.encodeStateAsUpdate(client);
  const sv = Y.encodeStateVector(client);
  sendMessage(client, { author: 'a', text: 'two' });
  const second = Y.encodeStateAsUpdate(client, sv);
  return { client, first, second };
}

describe('checkUpdate', () => {
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
