/**
 * Slows down password guessing: after a few failures for one username (or from one
 * address), each further attempt must wait, doubling up to a cap. In memory, per process;
 * good enough for one instance (Redis-backed limits come with scaling out).
 */
export class LoginThrottle {
  readonly #failures = new Map<string, { count: number; until: number }>();
  readonly #freeAttempts: number;
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(options: { freeAttempts?: number; baseMs?: number; maxMs?: number } = {}) {
    this.#freeAttempts = options.freeAttempts ?? 5;
    this.#baseMs = options.baseMs ?? 1000;
    this.#maxMs = options.maxMs ?? 15 * 60 * 1000;
  }

  /** Milliseconds to wait before `keys` may try again (0: go ahead). */
  retryAfter(keys: string[], now = Date.now()): number {
    let wait = 0;
    for (const key of keys) {
      const entry = this.#failures.get(key);
      if (entry && entry.until > now) wait = Math.max(wait, entry.until - now);
    }
    return wait;
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const entry = this.#failures.get(key) ?? { count: 0, until: 0 };
      entry.count++;
      const over = entry.count - this.#freeAttempts;
      entry.until = over > 0 ? now + Math.min(this.#maxMs, this.#baseMs * 2 ** (over - 1)) : 0;
      this.#failures.set(key, entry);
    }
    if (this.#failures.size > 100_000) this.#prune(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.#failures.delete(key);
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#failures) if (entry.until < now - this.#maxMs) this.#failures.delete(key);
  }
}
