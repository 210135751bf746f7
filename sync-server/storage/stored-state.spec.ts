import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage } from '../../src/lib/chat/edits';
import { sendMessage } from '../../src/lib/chat/messages';
import { react, unreact } from '../../src/lib/chat/reactions';
import { StoredState } from './stored-state';

/** A room's history as a client writes it: each change its own update. */
function history(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const sent = sendMessage(doc, { author: 'ana', text: `m${i}` });
    if (sent.ok) ids.push(sent.message.id);
  }
  react(doc, { messageId: ids[1]!, emoji: '👍', userId: 'ana' });
  unreact(doc, { messageId: ids[1]!, emoji: '👍', userId: 'ana' });
  deleteMessage(doc, { messageId: ids[2]!, userId: 'ana', role: 'member' });
  doc.getArray('messages').delete(4, 1);
  return { doc, updates };
}

function stateOf(updates: Uint8Array[]): StoredState {
  const state = StoredState.empty();
  for (const u of updates) state.add(u);
  return state;
}

describe('StoredState', () => {
  it('of a doc: its state vector, and as deletions the sync step 2 an up-to-date client would get from the doc', () => {
    const { doc } = history();
    const { stateVector, deleteSet } = StoredState.of(doc).encode();
    expect(stateVector).toEqual(Y.encodeStateVector(doc));
    expect(deleteSet).toEqual(Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc)));
  });

  it('advanced update by update, it ends where the doc does; encoded and decoded, it stays the same', () => {
    const { doc, updates } = history();
    const folded = stateOf(updates).encode();
    expect(folded).toEqual(StoredState.of(doc).encode());
    expect(StoredState.decode(folded).encode()).toEqual(folded);
    // A snapshot of the doc read as one update, as an old snapshot is.
    expect(stateOf([Y.encodeStateAsUpdate(doc)]).encode()).toEqual(folded);
  });

  it('is covered by a state vector that has every struct, not by one that lacks one', () => {
    const { doc, updates } = history();
    const state = stateOf(updates);
    const vector = Y.decodeStateVector(Y.encodeStateVector(doc));
    expect(state.coveredBy(vector)).toBe(true);
    expect(state.coveredBy(new Map([...vector, [12345, 3]]))).toBe(true);
    expect(state.coveredBy(new Map([[doc.clientID, vector.get(doc.clientID)! - 1]]))).toBe(false);
    expect(state.coveredBy(new Map())).toBe(false);
    expect(StoredState.empty().coveredBy(new Map())).toBe(true);
  });

  it('knows updates that change nothing (and what their acks name) from those the doc must judge', () => {
    const { doc, updates } = history();
    const state = stateOf(updates);
    const clock = Y.getState(doc.store, doc.clientID);
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    // An up-to-date client's sync step 2: no structs, its whole delete set.
    expect(state.changesNothing(Y.decodeUpdate(Y.encodeStateAsUpdate(client, Y.encodeStateVector(doc))))).toEqual(new Map());
    // A resend of stored structs: acked up to what is stored.
    expect(state.changesNothing(Y.decodeUpdate(updates[0]!))).toEqual(new Map([[doc.clientID, clock]]));
    // Something new.
    const before = Y.encodeStateVector(client);
    sendMessage(client, { author: 'bo', text: 'new' });
    expect(state.changesNothing(Y.decodeUpdate(Y.encodeStateAsUpdate(client, before)))).toBeNull();
    // A deletion of live content.
    const deleting = new Y.Doc();
    Y.applyUpdate(deleting, Y.encodeStateAsUpdate(doc));
    const live = Y.encodeStateVector(deleting);
    deleting.getArray('messages').delete(0, 1);
    expect(state.changesNothing(Y.decodeUpdate(Y.encodeStateAsUpdate(deleting, live)))).toBeNull();
  });
});
