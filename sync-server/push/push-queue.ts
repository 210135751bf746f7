import type { Logger } from '../log';

/** What a push service answered; `retryAfterMs` from its Retry-After header, if any. */
export type SendOutcome = { kind: 'sent' } | { kind: 'gone' } | { kind: 'retry'; retryAfterMs: number | null } | { kind: 'failed'; reason: string };

export interface PushQueueOptions {
  /** Requests to push services in flight at once. @default 8 */
  concurrency: number;
  /** Tries per job, the first included. @default 4 */
  maxAttempts: number;
  /** First retry delay; doubled for each further one. @default 1000 */
  baseDelayMs: number;
  /** Longest wait between tries, also for Retry-After. @default 60 s */
  maxDelayMs: number;
  /** Jobs waiting beyond this are dropped (a push service that is down must not eat memory). @default 10000 */
  maxQueued: number;
}

const defaultPushQueueOptions: PushQueueOptions = {
  concurrency: 8,
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxQueued: 10_000
};

/** One notification for one device. `endpoint` is only handed to `send`/`onGone`, never logged. */
export interface PushJob {
  endpoint: string;
  /** For logs: the room and user, never the text or the endpoint. */
  roomId: string;
  userId: string;
  send(): Promise<SendOutcome>;
}

/**
 * Sends push notifications off the sync server's hot path: a bounded number at a time,
 * with exponential backoff for 429 and 5xx (Retry-After wins when given, capped), and the
 * subscription forgotten on 404/410. `close()` clears every timer and waits for the
 * requests in flight.
 */
export class PushQueue {
  readonly #options: PushQueueOptions;
  readonly #log: Logger;
  readonly #onGone: (endpoint: string) => Promise<void>;
  readonly #waiting: { job: PushJob; attempt: number }[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(log: Logger, onGone: (endpoint: string) => Promise<void>, options: Partial<PushQueueOptions> = {}) {
    this.#log = log;
    this.#onGone = onGone;
    this.#options = { ...defaultPushQueueOptions, ...options };
  }

  /** Jobs waiting or in flight (for tests and metrics). */
  get pending(): number {
    return this.#waiting.length + this.#inFlight.size + this.#timers.size;
  }

  enqueue(job: PushJob): void {
    this.#push(job, 1);
  }

  #push(job: PushJob, attempt: number): void {
    if (this.#closed) return;
    if (this.#waiting.length >= this.#options.maxQueued) {
      this.#log.warn('push queue full; notification dropped', { room: job.roomId, user: job.userId });
      return;
    }
    this.#waiting.push({ job, attempt });
    this.#pump();
  }

  #pump(): void {
    while (!this.#closed && this.#inFlight.size < this.#options.concurrency && this.#waiting.length > 0) {
      const next = this.#waiting.shift()!;
      const run = this.#run(next.job, next.attempt).finally(() => {
        this.#inFlight.delete(run);
        this.#pump();
      });
      this.#inFlight.add(run);
    }
  }

  async #run(job: PushJob, attempt: number): Promise<void> {
    let outcome: SendOutcome;
    try {
      outcome = await job.send();
    } catch (err) {
      // A network error: worth another try, like a 5xx.
      this.#log.warn('push request failed', { room: job.roomId, user: job.userId, attempt, error: err instanceof Error ? err.name : 'error' });
      outcome = { kind: 'retry', retryAfterMs: null };
    }
    switch (outcome.kind) {
      case 'sent':
        return;
      case 'gone':
        try {
          await this.#onGone(job.endpoint);
        } catch (err) {
          this.#log.error('could not remove a gone push subscription', { user: job.userId, error: err });
        }
        return;
      case 'failed':
        this.#log.warn('push refused', { room: job.roomId, user: job.userId, reason: outcome.reason });
        return;
      case 'retry':
        this.#retry(job, attempt, outcome.retryAfterMs);
        return;
      default:
        throw new Error(`unexpected outcome ${(outcome satisfies never) as string}`);
    }
  }

  #retry(job: PushJob, attempt: number, retryAfterMs: number | null): void {
    if (attempt >= this.#options.maxAttempts || this.#closed) {
      this.#log.warn('push given up', { room: job.roomId, user: job.userId, attempts: attempt });
      return;
    }
    const backoff = this.#options.baseDelayMs * 2 ** (attempt - 1);
    const delay = Math.min(this.#options.maxDelayMs, retryAfterMs ?? backoff);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#push(job, attempt + 1);
    }, delay);
    this.#timers.add(timer);
  }

  /** Drops what waits, clears retry timers, waits for requests in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#waiting.length = 0;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    await Promise.allSettled([...this.#inFlight]);
  }
}
