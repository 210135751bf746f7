import { describe, expect, it } from 'vitest';
import { COUNT_LIMIT, MessageIndex, queryTerms } from './message-index';

const at = (minute: number) => Date.UTC(2026, 0, 1, 12, minute);

function indexOf(...texts: string[]): MessageIndex {
  const index = new MessageIndex();
  texts.forEach((text, i) => index.set({ roomId: i % 2 === 0 ? 'room-a' : 'room-b', id: `m${i}`, author: 'u1', text, ts: at(i) }));
  return index;
}

const ids = (index: MessageIndex, query: string) => index.search(query).hits.map((h) => h.id);

describe('MessageIndex', () => {
  it('finds messages by word prefix as the query is typed, in every room, newest first', () => {
    const index = indexOf('Lunch at noon?', 'The meeting moved to Friday', 'meet me at the station', 'no news');
    expect(ids(index, 'me')).toEqual(['m2', 'm1']);
    expect(ids(index, 'mee')).toEqual(['m2', 'm1']);
    expect(ids(index, 'meeti')).toEqual(['m1']);
    expect(ids(index, 'meeting')).toEqual(['m1']);
    expect(ids(index, 'meetings')).toEqual([]);
    expect(index.search('me').hits.map((h) => h.roomId)).toEqual(['room-a', 'room-b']);
  });

  it('needs every word of the query', () => {
    const index = indexOf('meet at the station', 'meet at noon', 'station closed');
    expect(ids(index, 'meet stat')).toEqual(['m0']);
    expect(ids(index, 'station')).toEqual(['m2', 'm0']);
  });

  it('ignores case and accents, on both sides', () => {
    const index = indexOf('Café au lait', 'CAFE LATTE', 'Crème brûlée à Zürich');
    expect(ids(index, 'cafe')).toEqual(['m1', 'm0']);
    expect(ids(index, 'CAFÉ')).toEqual(['m1', 'm0']);
    expect(ids(index, 'creme brulee')).toEqual(['m2']);
    expect(ids(index, 'zur')).toEqual(['m2']);
    expect(queryTerms('  Ça  va? ')).toEqual(['ca', 'va']);
  });

  it('from the first letter on, a message with several words of the prefix is found once', () => {
    const index = indexOf('a plan', 'another apple and an axe', 'nothing here');
    expect(ids(index, 'a')).toEqual(['m1', 'm0']);
    expect(ids(index, 'an')).toEqual(['m1']);
    expect(index.search('a').total).toBe(2);
  });

  it('finds an edited message by its new text only, and a removed one not at all', () => {
    const index = indexOf('see you tomorrow', 'bring snacks');
    index.set({ roomId: 'room-a', id: 'm0', author: 'u1', text: 'see you on Monday', ts: at(0) });
    expect(ids(index, 'tomorrow')).toEqual([]);
    expect(ids(index, 'monday')).toEqual(['m0']);
    index.remove('room-b', 'm1');
    expect(ids(index, 'snacks')).toEqual([]);
    expect(index.size).toBe(1);
    // Removing what is not there is harmless.
    index.remove('room-b', 'm1');
    index.remove('nowhere', 'x');
  });

  it('keeps rooms apart: the same message id in two rooms, a room taken out, a room filter', () => {
    const index = new MessageIndex();
    index.set({ roomId: 'r1', id: 'same', author: 'u1', text: 'hello from one', ts: at(1) });
    index.set({ roomId: 'r2', id: 'same', author: 'u2', text: 'hello from two', ts: at(2) });
    expect(index.search('hello').hits.map((h) => h.roomId)).toEqual(['r2', 'r1']);
    expect(index.search('hello', { rooms: new Set(['r1']) }).hits.map((h) => h.roomId)).toEqual(['r1']);
    index.removeRoom('r2');
    expect(index.search('hello').hits.map((h) => h.roomId)).toEqual(['r1']);
    expect(index.idsOf('r2').size).toBe(0);
  });

  it('returns at most `limit` hits but counts them all, up to COUNT_LIMIT', () => {
    const index = indexOf(...Array.from({ length: 80 }, (_, i) => `note number ${i}`));
    const result = index.search('note', { limit: 5 });
    expect(result.hits).toHaveLength(5);
    expect(result).toMatchObject({ total: 80, capped: false, terms: ['note'] });
    expect(result.hits[0]!.id).toBe('m79');

    const many = indexOf(...Array.from({ length: COUNT_LIMIT + 5 }, () => 'same words'));
    expect(many.search('same')).toMatchObject({ total: COUNT_LIMIT, capped: true });
  });

  it('keeps time order when messages arrive out of order, and after edits and removals', () => {
    const index = new MessageIndex();
    const put = (id: string, minute: number, text = 'ping') => index.set({ roomId: 'r', id, author: 'u1', text, ts: at(minute) });
    put('c', 30);
    put('a', 10);
    put('b', 20);
    expect(index.sortPending(Infinity)).toBe(true);
    expect(ids(index, 'ping')).toEqual(['c', 'b', 'a']);
    put('b', 20, 'pong');
    index.remove('r', 'c');
    put('d', 5);
    expect(ids(index, 'ping')).toEqual(['a', 'd']);
    expect(ids(index, 'p')).toEqual(['b', 'a', 'd']);
  });

  it('an empty or punctuation-only query matches nothing', () => {
    const index = indexOf('anything');
    expect(index.search('').total).toBe(0);
    expect(index.search('  ?! ').total).toBe(0);
  });
});
