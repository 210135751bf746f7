import { Redis } from 'ioredis';
import { LoginThrottle, SignInThrottle } from '../../src/lib/server/auth/login-throttle';
import type { Limits } from '../config';
import type { Logger } from '../log';
import { MemoryConnectionCounter, RedisConnectionCounter, type ConnectionCounter } from './connection-counter';

/** The limits that need a count across requests: sign-in throttling and connections per user. */
export interface SharedLimits {
  /** Failed sign-ins per username and per address. */
  loginThrottle: SignInThrottle;
  /** Open sync connections per user. */
  connections: ConnectionCounter;
  /** Gives back this instance's connection places and closes the Redis client, if any. */
  close(): Promise<void>;
}

/**
 * A Redis client for the limits (REDIS_URL), connected. A command fails at once while Redis
 * is away, or after a second without an answer, and the limits then count in this
 * instance's memory: a sign-in or a connection does not wait on a Redis that may not come
 * back soon. (The fan-out keeps its own clients, which queue instead.)
 */
export async function connectLimitsRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  redis.on('error', (err: Error) => log.warn('redis error (limits count per instance meanwhile)', { error: err }));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  return redis;
}

/**
 * Sign-in throttles and the connection counter, shared by every instance through `redis`
 * (N instances then allow what one does), or in this process's memory when it is null.
 */
export function createSharedLimits(limits: Limits, redis: Redis | null, log: Logger): SharedLimits {
  const backoff = { baseMs: limits.loginBackoffMs, maxMs: limits.loginBackoffMaxMs, redis };
  const connections = redis
    ? new RedisConnectionCounter(redis, log, { limit: limits.maxConnectionsPerUser })
    : new MemoryConnectionCounter(limits.maxConnectionsPerUser);
  return {
    loginThrottle: new SignInThrottle(
      new LoginThrottle({ ...backoff, name: 'username', freeAttempts: limits.loginFreeAttemptsPerUsername }),
      // One address may be a whole office behind NAT: more slack than per account.
      new LoginThrottle({ ...backoff, name: 'address', freeAttempts: limits.loginFreeAttemptsPerAddress })
    ),
    connections,
    async close() {
      await connections.close();
      await redis?.quit().catch(() => redis.disconnect());
    }
  };
}
