import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, editMessage } from '$lib/chat/edits';
import { sendMessage } from '$lib/chat/messages';
import { roomTypes } from '$lib/chat/schema';
import { MessageIndex } from './message-index';
import { RoomIndexer } from './room-indexer';

const texts = (index: MessageIndex, query: string) => index.search(query).hits.map((h) => h.text);

function roomWith(...messages: string[]): Y.Doc {
  const doc = new Y.Doc();
  messages.forEach((text, i) => sendMessage(doc, { author: 'alice', text, id: `m${i}`, ts: Date.UTC(2026, 0, 1) + i }));
  return doc;
}

describe('RoomIndexer', () => {
  it('indexes the messages already there, edits applied and deletions left out', async () => {
    const doc = roomWith('planning the trip', 'old plan', 'secret plan');
    editMessage(doc, { messageId: 'm1', userId: 'alice', text: 'new plan' });
    deleteMessage(doc, { messageId: 'm2', userId: 'alice', role: 'member' });
    const index = new MessageIndex();
    await new RoomIndexer(index, 'r1', doc).ready;
    expect(texts(index, 'plan')).toEqual(['new plan', 'planning the trip']);
    expect(texts(index, 'secret')).toEqual([]);
    expect(texts(index, 'old')).toEqual([]);
  });

  it('walks a long room in slices, giving the page a turn between them', async () => {
    const doc = roomWith(...Array.from({ length: 300 }, (_, i) => `message ${i}`));
    const index = new MessageIndex();
    let pauses = 0;
    // sliceMs 0: a turn after every message.
    const indexer = new RoomIndexer(index, 'r1', doc, { sliceMs: 0, pause: () => (pauses++, Promise.resolve()) });
    await indexer.ready;
    expect(index.size).toBe(300);
    expect(pauses).toBeGreaterThanOrEqual(299);
  });

  it('follows new messages, edits and deletions, local or from another replica', async () => {
    const doc = roomWith('first words');
    const index = new MessageIndex();
    await new RoomIndexer(index, 'r1', doc).ready;

    sendMessage(doc, { author: 'alice', text: 'lunch at noon', id: 'm1' });
    expect(texts(index, 'lunch')).toEqual(['lunch at noon']);

    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(other);
    sendMessage(other, { author: 'bob', text: 'dinner instead', id: 'm2' });
    editMessage(other, { messageId: 'm2', userId: 'bob', text: 'dinner at eight' });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, before), 'remote');
    expect(texts(index, 'dinner')).toEqual(['dinner at eight']);
    expect(texts(index, 'instead')).toEqual([]);

    editMessage(doc, { messageId: 'm1', userId: 'alice', text: 'brunch at noon' });
    expect(texts(index, 'lunch')).toEqual([]);
    expect(texts(index, 'brunch')).toEqual(['brunch at noon']);

    deleteMessage(doc, { messageId: 'm1', userId: 'alice', role: 'member' });
    expect(texts(index, 'noon')).toEqual([]);
    expect(index.size).toBe(2);
  });

  it('an edit that arrives before its message applies once the message does', async () => {
    const doc = new Y.Doc();
    const index = new MessageIndex();
    await new RoomIndexer(index, 'r1', doc).ready;
    roomTypes(doc).edits.set('late', { text: 'edited text', ts: Date.now() });
    expect(index.size).toBe(0);
    sendMessage(doc, { author: 'bob', text: 'original text', id: 'late' });
    expect(texts(index, 'text')).toEqual(['edited text']);
  });

  it('a message removed from the array is taken out', async () => {
    const doc = roomWith('keep this', 'remove this');
    const index = new MessageIndex();
    await new RoomIndexer(index, 'r1', doc).ready;
    // A removal makes it walk the room again; two messages fit in one slice.
    roomTypes(doc).messages.delete(1, 1);
    expect(texts(index, 'this')).toEqual(['keep this']);
  });

  it('stops following when stopped, keeping what it indexed', async () => {
    const doc = roomWith('kept message');
    const index = new MessageIndex();
    const indexer = new RoomIndexer(index, 'r1', doc);
    await indexer.ready;
    indexer.stop();
    sendMessage(doc, { author: 'alice', text: 'unseen message', id: 'm9' });
    expect(texts(index, 'message')).toEqual(['kept message']);
  });

  it('a second indexer of the same room brings the index up to the new doc', async () => {
    const index = new MessageIndex();
    const stored = roomWith('one', 'two');
    await new RoomIndexer(index, 'r1', stored).ready;
    const live = roomWith('one');
    sendMessage(live, { author: 'alice', text: 'three', id: 'm3' });
    await new RoomIndexer(index, 'r1', live).ready;
    expect([...index.idsOf('r1')].sort()).toEqual(['m0', 'm3']);
  });
});
