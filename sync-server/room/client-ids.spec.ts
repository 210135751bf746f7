import { describe, expect, it } from 'vitest';
import { ClientIds } from './client-ids';

describe('ClientIds', () => {
  it('behaves as a set of clientIDs, in insertion order, from none to one to many and back', () => {
    const ids = new ClientIds();
    expect([ids.size, ids.has(0), [...ids]]).toEqual([0, false, []]);
    ids.add(0);
    ids.add(0);
    expect([ids.size, ids.has(0), [...ids]]).toEqual([1, true, [0]]);
    ids.add(4_294_967_295);
    ids.add(7);
    expect([ids.size, ids.has(7), [...ids]]).toEqual([3, true, [0, 4_294_967_295, 7]]);
    ids.delete(0);
    ids.delete(8);
    expect([ids.size, ids.has(0), [...ids]]).toEqual([2, false, [4_294_967_295, 7]]);
    ids.delete(4_294_967_295);
    ids.delete(7);
    expect([ids.size, [...ids]]).toEqual([0, []]);
  });

  it('forgets its one id when that one is deleted', () => {
    const ids = new ClientIds();
    ids.add(12);
    ids.delete(13);
    expect([...ids]).toEqual([12]);
    ids.delete(12);
    expect([ids.size, ids.has(12), [...ids]]).toEqual([0, false, []]);
  });
});
