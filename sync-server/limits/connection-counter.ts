import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from '../log';

/**
 * Open sync connections per user against MAX_CONNECTIONS_PER_USER. The sync server takes a
 * place when a socket is authenticated and gives it back when the socket closes.
 */
export interface ConnectionCounter {
  /** Takes a place for one more connection of `userId`; false (nothing taken) when none is left. */
  acquire(userId: string): Promise<boolean>;
  /** Gives back a place `acquire` took. */
  release(userId: string): void;
  /** Gives back every place still held and stops any timer. */
  close(): Promise<void>;
}

/** Counts in this process: the limit holds per instance. */
export class MemoryConnectionCounter implements ConnectionCounter {
  readonly #open = new Map<string, number>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  acquire(userId: string): Promise<boolean> {
    return Promise.resolve(this.take(userId));
  }

  /** `acquire`, answered at once. */
  take(userId: string): boolean {
    const open = this.#open.get(userId) ?? 0;
    if (open >= this.#limit) return false;
    this.#open.set(userId, open + 1);
    return true;
  }

  release(userId: string): void {
    const left = (this.#open.get(userId) ?? 1) - 1;
    if (left > 0) this.#open.set(userId, left);
    else this.#open.delete(userId);
  }

  close(): Promise<void> {
    this.#open.clear();
    return Promise.resolve();
  }
}

/**
 * Drops expired places, then takes one if fewer than the limit are held. Scores are expiry
 * times on Redis's clock, so instances with skewed clocks agree.
 * KEYS[1] the user's set; ARGV: limit, lease ms, member.
 */
const ACQUIRE = `
local t = redis.call('time')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('zremrangebyscore', KEYS[1], '-inf', now)
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[2])
return 1`;

/**
 * Extends the lease of places still held, adding back any that lapsed while Redis was away.
 * KEYS[1] the user's set; ARGV: lease ms, members...
 */
const RENEW = `
local t = redis.call('time')
local expiry = t[1] * 1000 + math.floor(t[2] / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('zadd', KEYS[1], expiry, ARGV[i]) end
redis.call('pexpire', KEYS[1], ARGV[1])
return 0`;

type Commands = Redis & {
  porchAcquireConnection(key: string, limit: number, leaseMs: number, member: string): Promise<number>;
  porchRenewConnections(key: string, leaseMs: number, ...members: string[]): Promise<number>;
};

export interface RedisConnectionCounterOptions {
  limit: number;
  /**
   * How long a place lasts unless renewed: what an instance that died without closing leaves
   * behind is free again after this. Renewed every third of it. @default 30 s
   */
  leaseMs?: number;
}

/**
 * Counts in Redis, all instances together: per user a sorted set of the places held, each
 * named by instance and connection and scored by when its lease ends. This instance renews
 * the leases of its places while it lives. While Redis cannot answer, the places taken meanwhile
 * are counted in this instance's memory (the limit then holds per instance) and a warning is logged:
 * refusing every connection because Redis is away would take chat down with it.
 */
export class RedisConnectionCounter implements ConnectionCounter {
  readonly #redis: Commands;
  readonly #log: Logger;
  readonly #limit: number;
  readonly #leaseMs: number;
  readonly #instance = randomUUID();
  #next = 0;
  /** The members this instance holds per user; null stands for a place counted in #fallback. */
  readonly #held = new Map<string, (string | null)[]>();
  readonly #fallback: MemoryConnectionCounter;
  readonly #renew: NodeJS.Timeout;
  /** Warned about this outage already: one line per outage, not one per connection. */
  #warned = false;

  constructor(redis: Redis, log: Logger, options: RedisConnectionCounterOptions) {
    this.#limit = options.limit;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#log = log;
    this.#fallback = new MemoryConnectionCounter(options.limit);
    redis.defineCommand('porchAcquireConnection', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('porchRenewConnections', { numberOfKeys: 1, lua: RENEW });
    this.#redis = redis as Commands;
    this.#renew = setInterval(() => void this.#renewAll(), this.#leaseMs / 3);
    this.#renew.unref();
  }

  async acquire(userId: string): Promise<boolean> {
    const member = `${this.#instance}:${this.#next++}`;
    let taken: boolean;
    try {
      taken = (await this.#redis.porchAcquireConnection(key(userId), this.#limit, this.#leaseMs, member)) === 1;
    } catch (err) {
      if (!this.#warned) this.#log.warn('connections per user: Redis unavailable, counting on this instance only', { error: err });
      this.#warned = true;
      if (!this.#fallback.take(userId)) return false;
      this.#hold(userId, null);
      return true;
    }
    this.#warned = false;
    if (taken) this.#hold(userId, member);
    return taken;
  }

  release(userId: string): void {
    const held = this.#held.get(userId);
    const member = held?.pop();
    if (held?.length === 0) this.#held.delete(userId);
    if (member === undefined) return;
    if (member === null) return this.#fallback.release(userId);
    // Lost on a Redis outage, the place frees itself when its lease ends.
    this.#redis.zrem(key(userId), member).catch((err: unknown) => this.#log.warn('connections per user: could not release a place', { user: userId, error: err }));
  }

  async close(): Promise<void> {
    clearInterval(this.#renew);
    const pipeline = this.#redis.pipeline();
    for (const [userId, members] of this.#held) {
      const mine = members.filter((m) => m !== null);
      if (mine.length > 0) pipeline.zrem(key(userId), ...mine);
    }
    this.#held.clear();
    await this.#fallback.close();
    await pipeline.exec().catch((err: unknown) => this.#log.warn('connections per user: could not release places at close', { error: err }));
  }

  #hold(userId: string, member: string | null): void {
    const held = this.#held.get(userId);
    if (held) held.push(member);
    else this.#held.set(userId, [member]);
  }

  async #renewAll(): Promise<void> {
    if (this.#held.size === 0) return;
    const pipeline = this.#redis.pipeline() as ReturnType<Redis['pipeline']> & {
      porchRenewConnections(key: string, leaseMs: number, ...members: string[]): unknown;
    };
    for (const [userId, members] of this.#held) {
      const mine = members.filter((m) => m !== null);
      if (mine.length > 0) pipeline.porchRenewConnections(key(userId), this.#leaseMs, ...mine);
    }
    await pipeline.exec().catch((err: unknown) => this.#log.warn('connections per user: could not renew leases', { error: err }));
  }
}

function key(userId: string): string {
  return `porch:connections:${userId}`;
}
