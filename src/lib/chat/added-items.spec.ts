import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addedValues } from './added-items';

describe('addedValues', () => {
  it('gives the values a transaction added, local or from an update, and not what it removed again', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const arrayA = a.getArray<string>('messages');
    const arrayB = b.getArray<string>('messages');
    const seen: string[][] = [];
    arrayB.observe((_event, transaction) => seen.push(addedValues(transaction, arrayB)));

    arrayA.insert(0, ['one', 'two']);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    b.transact(() => {
      arrayB.insert(arrayB.length, ['three', 'gone']);
      arrayB.delete(3, 1);
      b.getMap('other').set('x', 1);
    });
    arrayA.insert(0, ['zero']);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));

    expect(seen).toEqual([['one', 'two'], ['three'], ['zero']]);
    expect(arrayB.toArray()).toEqual(['zero', 'one', 'two', 'three']);
  });

  it('gives only the new values when an append continues the same writer\'s last item (Yjs merges them after the observers)', () => {
    const writer = new Y.Doc();
    const server = new Y.Doc();
    const messages = server.getArray<string>('messages');
    const seen: string[][] = [];
    messages.observe((_event, transaction) => seen.push(addedValues(transaction, messages)));
    for (const text of ['first', 'second', 'third']) {
      const before = Y.encodeStateVector(writer);
      writer.getArray<string>('messages').insert(writer.getArray('messages').length, [text]);
      Y.applyUpdate(server, Y.encodeStateAsUpdate(writer, before));
    }
    expect(seen).toEqual([['first'], ['second'], ['third']]);
  });
});
