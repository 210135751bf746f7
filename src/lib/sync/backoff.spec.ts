import { describe, expect, it } from 'vitest';
import { BACKOFF_CAP_MS, reconnectDelay, SLOW_DOWN_MIN_MS, slowDownDelay } from './backoff';

describe('reconnectDelay', () => {
  it('waits at most half the time already spent disconnected, at least 0.5 s, at most the cap', () => {
    expect(reconnectDelay(0, () => 0.999)).toBeLessThan(500);
    expect(reconnectDelay(0, () => 0.999)).toBeGreaterThan(490);
    expect(reconnectDelay(8000, () => 0.999)).toBeLessThan(4000);
    expect(reconnectDelay(8000, () => 0.999)).toBeGreaterThan(3900);
    expect(reconnectDelay(10 * 60_000, () => 0.999)).toBeLessThan(BACKOFF_CAP_MS);
  });

  it('spreads clients across the whole window (full jitter), down to zero', () => {
    expect(reconnectDelay(8000, () => 0)).toBe(0);
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(8000));
    const low = delays.filter((d) => d < 2000).length;
    // Uniform over [0, 4000): about half below 2000.
    expect(low).toBeGreaterThan(400);
    expect(low).toBeLessThan(600);
  });
});

describe('slowDownDelay (close 4429)', () => {
  it('waits at least 5 s, doubling with each 4429 in a row, never past the cap plus jitter', () => {
    expect(slowDownDelay(1, () => 0)).toBe(SLOW_DOWN_MIN_MS);
    expect(slowDownDelay(2, () => 0)).toBe(2 * SLOW_DOWN_MIN_MS);
    expect(slowDownDelay(3, () => 0.999)).toBeLessThan(4 * SLOW_DOWN_MIN_MS * 1.5);
    expect(slowDownDelay(50, () => 0)).toBe(BACKOFF_CAP_MS);
    expect(slowDownDelay(50, () => 0.999)).toBeLessThan(BACKOFF_CAP_MS * 1.5);
  });
});
