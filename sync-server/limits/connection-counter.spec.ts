import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../log';
import { MemoryConnectionCounter, RedisConnectionCounter, type ConnectionCounter } from './connection-counter';

// Redis is part of this machine's kind (and CI's).
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const log = createLogger('silent');
const clients: Redis[] = [];
const counters: ConnectionCounter[] = [];

async function redis(): Promise<Redis> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  await client.connect();
  clients.push(client);
  return client;
}

afterAll(async () => {
  for (const c of counters) await c.close();
  for (const c of clients) c.disconnect();
});

const kinds: [string, (limit: number) => Promise<ConnectionCounter>][] = [
  ['memory', (limit) => Promise.resolve(new MemoryConnectionCounter(limit))],
  ['redis', async (limit) => new RedisConnectionCounter(await redis(), log, { limit })]
];

describe.each(kinds)('ConnectionCounter (%s)', (_kind, make) => {
  it('gives a user up to the limit, others their own; a release frees one place', async () => {
    const counter = await make(2);
    counters.push(counter);
    const [ana, bo] = [randomUUID(), randomUUID()];
    expect(await counter.acquire(ana)).toBe(true);
    expect(await counter.acquire(ana)).toBe(true);
    expect(await counter.acquire(ana)).toBe(false);
    expect(await counter.acquire(bo)).toBe(true);
    counter.release(ana);
    expect(await counter.acquire(ana)).toBe(true);
    expect(await counter.acquire(ana)).toBe(false);
  });
});

describe('RedisConnectionCounter', () => {
  it('counts every instance on one Redis together; a closed instance gives its places back', async () => {
    const one = new RedisConnectionCounter(await redis(), log, { limit: 3 });
    const two = new RedisConnectionCounter(await redis(), log, { limit: 3 });
    counters.push(two);
    const ana = randomUUID();
    expect(await one.acquire(ana)).toBe(true);
    expect(await one.acquire(ana)).toBe(true);
    expect(await two.acquire(ana)).toBe(true);
    expect(await two.acquire(ana)).toBe(false);
    await one.close();
    expect(await two.acquire(ana)).toBe(true);
    expect(await two.acquire(ana)).toBe(true);
    expect(await two.acquire(ana)).toBe(false);
  });

  it('an instance that dies without closing leaves its places for one lease at most; a live one keeps them by renewing', async () => {
    const leaseMs = 600;
    const dying = await redis();
    const dead = new RedisConnectionCounter(dying, log, { limit: 2, leaseMs });
    const alive = new RedisConnectionCounter(await redis(), log, { limit: 2, leaseMs });
    counters.push(alive);
    const [ana, bo] = [randomUUID(), randomUUID()];
    expect(await dead.acquire(ana)).toBe(true);
    expect(await dead.acquire(ana)).toBe(true);
    expect(await alive.acquire(bo)).toBe(true);
    expect(await alive.acquire(bo)).toBe(true);
    // Its connection to Redis gone, it can neither renew nor give back.
    dying.disconnect();
    await dead.close();
    expect(await alive.acquire(ana)).toBe(false);
    await new Promise((r) => setTimeout(r, leaseMs * 2));
    expect(await alive.acquire(ana)).toBe(true);
    // Two leases on, the live instance's own places still hold.
    expect(await alive.acquire(bo)).toBe(false);
  });

  it('counts on this instance alone while Redis cannot answer, rather than refusing everyone', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    down.on('error', () => {});
    clients.push(down);
    const counter = new RedisConnectionCounter(down, log, { limit: 1 });
    counters.push(counter);
    const ana = randomUUID();
    expect(await counter.acquire(ana)).toBe(true);
    expect(await counter.acquire(ana)).toBe(false);
    counter.release(ana);
    expect(await counter.acquire(ana)).toBe(true);
  });
});
