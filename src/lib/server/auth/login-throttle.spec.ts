import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('lets the free attempts through, then makes each further one wait twice as long', () => {
    const t = new LoginThrottle({ freeAttempts: 3, baseMs: 1000, maxMs: 60_000 });
    const key = ['ana'];
    for (let i = 0; i < 3; i++) t.fail(key, 0);
    expect(t.retryAfter(key, 0)).toBe(0);
    t.fail(key, 0);
    expect(t.retryAfter(key, 0)).toBe(1000);
    t.fail(key, 1000);
    expect(t.retryAfter(key, 1000)).toBe(2000);
    for (let i = 0; i < 20; i++) t.fail(key, 5000);
    expect(t.retryAfter(key, 5000)).toBe(60_000);
  });

  it('forgets a key after a success', () => {
    const t = new LoginThrottle({ freeAttempts: 0 });
    t.fail(['bo'], 0);
    expect(t.retryAfter(['bo'], 0)).toBeGreaterThan(0);
    t.succeed(['bo']);
    expect(t.retryAfter(['bo'], 0)).toBe(0);
  });
});
