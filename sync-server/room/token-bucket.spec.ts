import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('allows a burst at once, then refills at the given rate, never above the burst', () => {
    const bucket = new TokenBucket(3, 2, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([true, true, true, false]);
    // 2 per second: one token after 500 ms, not before.
    expect(bucket.take(400)).toBe(false);
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
    // A long pause fills it up to the burst, not beyond.
    const after = [1, 2, 3, 4].map(() => bucket.take(60_000));
    expect(after).toEqual([true, true, true, false]);
  });
});
