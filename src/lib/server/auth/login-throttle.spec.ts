import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { LoginThrottle, type LoginThrottleOptions } from './login-throttle';

// Redis is part of this machine's kind (and CI's): the shared store always runs too.
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
afterAll(() => redis.disconnect());

const stores: [string, () => Promise<Redis | null>][] = [
  ['memory', () => Promise.resolve(null)],
  [
    'redis',
    async () => {
      if (redis.status === 'wait') await redis.connect();
      return redis;
    }
  ]
];

describe.each(stores)('LoginThrottle (%s)', (_store, store) => {
  // Keys of their own in Redis, which outlives the test run.
  const make = async (options: Omit<LoginThrottleOptions, 'name' | 'redis'>) => new LoginThrottle({ ...options, name: `test-${randomUUID()}`, redis: await store() });

  it('lets the free attempts through, then makes each further one wait twice as long, up to the cap', async () => {
    const t = await make({ freeAttempts: 3, baseMs: 1000, maxMs: 4000 });
    const key = ['ana'];
    for (let i = 0; i < 3; i++) await t.fail(key);
    expect(await t.retryAfter(key)).toBe(0);
    await t.fail(key);
    expect(await t.retryAfter(key)).toBeGreaterThan(900);
    expect(await t.retryAfter(key)).toBeLessThanOrEqual(1000);
    await t.fail(key);
    expect(await t.retryAfter(key)).toBeGreaterThan(1900);
    for (let i = 0; i < 5; i++) await t.fail(key);
    expect(await t.retryAfter(key)).toBeGreaterThan(3900);
    expect(await t.retryAfter(key)).toBeLessThanOrEqual(4000);
  });

  it('waits for the slowest of several keys, and a key of its own is free', async () => {
    const t = await make({ freeAttempts: 0, baseMs: 2000, maxMs: 60_000 });
    await t.fail(['bo']);
    await t.fail(['cy']);
    await t.fail(['cy']);
    expect(await t.retryAfter(['bo', 'cy'])).toBeGreaterThan(3900);
    expect(await t.retryAfter(['dee'])).toBe(0);
  });

  it('forgets a key after a success: its failures start again from the free ones', async () => {
    const t = await make({ freeAttempts: 1, baseMs: 1000, maxMs: 60_000 });
    await t.fail(['bo']);
    await t.fail(['bo']);
    expect(await t.retryAfter(['bo'])).toBeGreaterThan(0);
    await t.succeed(['bo']);
    expect(await t.retryAfter(['bo'])).toBe(0);
    await t.fail(['bo']);
    expect(await t.retryAfter(['bo'])).toBe(0);
  });

  it('is over once the wait has passed', async () => {
    const t = await make({ freeAttempts: 0, baseMs: 1000, maxMs: 1000 });
    await t.fail(['eve']);
    expect(await t.retryAfter(['eve'])).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await t.retryAfter(['eve'])).toBe(0);
  });
});

it('answers from its own memory while Redis cannot (each instance then counts alone)', async () => {
  const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  down.on('error', () => {});
  try {
    const t = new LoginThrottle({ freeAttempts: 1, baseMs: 1000, maxMs: 60_000, name: `test-${randomUUID()}`, redis: down });
    await t.fail(['fay']);
    expect(await t.retryAfter(['fay'])).toBe(0);
    await t.fail(['fay']);
    expect(await t.retryAfter(['fay'])).toBeGreaterThan(0);
  } finally {
    down.disconnect();
  }
});
