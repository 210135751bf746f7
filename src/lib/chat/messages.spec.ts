import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from './messages';
import { roomTypes } from './schema';

/** Two replicas that deliver every update to each other at once. */
function pair(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, u, a));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, u, b));
  return [a, b];
}

const texts = (doc: Y.Doc) => listMessages(doc).map((m) => m.text);

describe('sendMessage', () => {
  it('marks a forwarded message and leaves the mark off otherwise', () => {
    const doc = new Y.Doc();
    sendMessage(doc, { author: 'ana', text: 'fwd', forwarded: true });
    sendMessage(doc, { author: 'ana', text: 'plain', forwarded: false });
    expect(listMessages(doc).map((m) => m.forwarded)).toEqual([true, undefined]);
    expect('forwarded' in listMessages(doc)[1]!).toBe(false);
  });

  it('appends after messages that arrived from others since the last own append', () => {
    const [a, b] = pair();
    sendMessage(a, { author: 'ana', text: 'one' });
    sendMessage(b, { author: 'bo', text: 'two' });
    sendMessage(b, { author: 'bo', text: 'three' });
    sendMessage(a, { author: 'ana', text: 'four' });
    sendMessage(a, { author: 'ana', text: 'five' });
    sendMessage(b, { author: 'bo', text: 'six' });
    sendMessage(a, { author: 'ana', text: 'seven' });
    expect(texts(a)).toEqual(['one', 'two', 'three', 'four', 'five', 'six', 'seven']);
    expect(texts(b)).toEqual(texts(a));
  });

  it('appends at the end when the last message was removed', () => {
    const [a, b] = pair();
    sendMessage(a, { author: 'ana', text: 'one' });
    sendMessage(b, { author: 'bo', text: 'two' });
    // the author takes the element itself out (a removed item stays in the list, deleted)
    roomTypes(b).messages.delete(1, 1);
    sendMessage(a, { author: 'ana', text: 'three' });
    expect(texts(a)).toEqual(['one', 'three']);
    expect(texts(b)).toEqual(texts(a));
  });

  it('appends at the end of a document loaded from another replica', () => {
    const source = new Y.Doc();
    for (let i = 0; i < 50; i++) sendMessage(source, { author: 'ana', text: `m${i}` });
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(source));
    sendMessage(loaded, { author: 'bo', text: 'last' });
    expect(texts(loaded).at(-1)).toBe('last');
    expect(texts(loaded)).toHaveLength(51);
  });
});
