import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** How long failures are remembered without a success: a day from the first one. */
const FORGET_AFTER_SECONDS = 24 * 60 * 60;

export interface LoginThrottleOptions {
  /** Failures a key may have before each further attempt must wait. */
  freeAttempts: number;
  /** The first wait; it doubles with each further failure. Waits are whole seconds, rounded up. */
  baseMs: number;
  /** The longest wait. */
  maxMs: number;
  /** What the keys are ('username', 'address'): names the Redis keys. */
  name: string;
  /**
   * Redis shared by every instance (REDIS_URL), so N instances do not give N times the
   * guesses; null: this process's memory. While Redis cannot answer, each instance counts in
   * its own memory (see docs/security.md, "Sign-in throttling").
   */
  redis?: Redis | null;
}

/**
 * Slows down password guessing: after a few failures for one username (or from one
 * address), each further attempt must wait, doubling up to a cap; a success clears the
 * key. Counted by rate-limiter-flexible, in Redis when several instances share it.
 */
export class LoginThrottle {
  /** Failures per key, forgotten a day after the first. */
  readonly #failures: RateLimiterAbstract;
  /** The wait per key: a block that expires when the next attempt may come. */
  readonly #waits: RateLimiterAbstract;
  readonly #freeAttempts: number;
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(options: LoginThrottleOptions) {
    this.#freeAttempts = options.freeAttempts;
    this.#baseMs = options.baseMs;
    this.#maxMs = options.maxMs;
    const redis = options.redis ?? null;
    const limiter = (keyPrefix: string, duration: number): RateLimiterAbstract => {
      // points only matter to consume(), which is not used: penalty() counts, block() waits.
      const memory = new RateLimiterMemory({ keyPrefix, points: 1, duration });
      if (!redis) return memory;
      // Not ready (reconnecting) or erroring: answer from this instance's memory at once
      // rather than queueing sign-ins behind a Redis that may not come back soon.
      return new RateLimiterRedis({ storeClient: redis, keyPrefix, points: 1, duration, rejectIfRedisNotReady: true, insuranceLimiter: memory });
    };
    this.#failures = limiter(`porch:login:${options.name}:failures`, FORGET_AFTER_SECONDS);
    this.#waits = limiter(`porch:login:${options.name}:wait`, 0);
  }

  /** Milliseconds to wait before `keys` may try again (0: go ahead). */
  async retryAfter(keys: string[]): Promise<number> {
    const waits = await Promise.all(keys.map((key) => this.#waits.get(key)));
    return Math.max(0, ...waits.map((res) => res?.msBeforeNext ?? 0));
  }

  /** Counts a failed attempt for each key; past the free ones, the key must wait. */
  async fail(keys: string[]): Promise<void> {
    await Promise.all(
      keys.map(async (key) => {
        const { consumedPoints } = await this.#failures.penalty(key, 1);
        const over = consumedPoints - this.#freeAttempts;
        if (over <= 0) return;
        const ms = Math.min(this.#maxMs, this.#baseMs * 2 ** (over - 1));
        // Whole seconds: Redis expiries here are seconds (and Retry-After is too).
        await this.#waits.block(key, Math.max(1, Math.ceil(ms / 1000)));
      })
    );
  }

  /** Forgets the keys' failures and waits. */
  async succeed(keys: string[]): Promise<void> {
    await Promise.all(keys.flatMap((key) => [this.#failures.delete(key), this.#waits.delete(key)]));
  }
}

/** Who is signing in: the throttles' two keys. */
export interface SignInAttempt {
  username: string;
  /** The client address. */
  address: string;
}

/**
 * Sign-in throttling as the routes use it: one throttle per username (any address) and one
 * per address (any username); an attempt waits for the slower of the two.
 */
export class SignInThrottle {
  readonly #byUsername: LoginThrottle;
  readonly #byAddress: LoginThrottle;

  constructor(byUsername: LoginThrottle, byAddress: LoginThrottle) {
    this.#byUsername = byUsername;
    this.#byAddress = byAddress;
  }

  /** Whole seconds to wait before this attempt may be checked (0: go ahead), as Retry-After says it. */
  async retryAfterSeconds(attempt: SignInAttempt): Promise<number> {
    const waits = await Promise.all([this.#byUsername.retryAfter([nameKey(attempt)]), this.#byAddress.retryAfter([attempt.address])]);
    return Math.ceil(Math.max(...waits) / 1000);
  }

  /** A wrong password (or unknown username): counts against both. */
  async failed(attempt: SignInAttempt): Promise<void> {
    await Promise.all([this.#byUsername.fail([nameKey(attempt)]), this.#byAddress.fail([attempt.address])]);
  }

  /**
   * The right password: the username starts afresh. The address keeps its count, so one
   * account of the guesser's own does not wipe its guesses at others.
   */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await this.#byUsername.succeed([nameKey(attempt)]);
  }
}

function nameKey(attempt: SignInAttempt): string {
  return attempt.username.trim().toLowerCase();
}
