import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from '../../src/lib/chat/messages';
import { newMessagesIn } from './new-messages';

/** The update `change` makes to a copy of `server`, applied to `server` as the sync server would. */
function applyFrom(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  change(client);
  const update = Y.encodeStateAsUpdate(client, before);
  Y.applyUpdate(server, update);
  return update;
}

describe('newMessagesIn', () => {
  it('finds appended messages (whose parent the update does not encode), not edits or reads', () => {
    const server = new Y.Doc();
    applyFrom(server, (d) => sendMessage(d, { author: 'ana', text: 'first', id: 'm1' }));
    const update = applyFrom(server, (d) => {
      sendMessage(d, { author: 'bo', text: 'second', id: 'm2' });
      sendMessage(d, { author: 'bo', text: 'third', id: 'm3' });
      d.getMap('reads').set('bo', { id: 'm1', ts: Date.now() });
      d.getMap('edits').set('m1', { text: 'edited', ts: Date.now() });
    });
    expect(newMessagesIn(server, update).map((m) => m.id)).toEqual(['m2', 'm3']);
  });

  it('skips a message deleted in the same update, and finds nothing in a delete', () => {
    const server = new Y.Doc();
    const gone = applyFrom(server, (d) => {
      sendMessage(d, { author: 'ana', text: 'oops', id: 'm1' });
      d.getArray('messages').delete(0, 1);
    });
    expect(newMessagesIn(server, gone)).toEqual([]);
    applyFrom(server, (d) => sendMessage(d, { author: 'ana', text: 'keep', id: 'm2' }));
    const deletion = applyFrom(server, (d) => d.getArray('messages').delete(0, 1));
    expect(newMessagesIn(server, deletion)).toEqual([]);
  });
});
