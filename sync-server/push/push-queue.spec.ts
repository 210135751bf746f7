import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log';
import { PushQueue, type PushJob, type SendOutcome } from './push-queue';

const log = createLogger('silent');

function job(outcomes: SendOutcome[], calls: { at: number }[] = []): PushJob {
  return {
    endpoint: 'https://push.example/x',
    roomId: 'r',
    userId: 'u',
    send: async () => {
      calls.push({ at: Date.now() });
      return outcomes.shift() ?? { kind: 'sent' };
    }
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('PushQueue', () => {
  it('retries 5xx with exponential backoff and honours Retry-After', async () => {
    vi.useFakeTimers();
    const calls: { at: number }[] = [];
    const queue = new PushQueue(log, async () => {}, { baseDelayMs: 100 });
    queue.enqueue(job([{ kind: 'retry', retryAfterMs: null }, { kind: 'retry', retryAfterMs: null }, { kind: 'retry', retryAfterMs: 5000 }], calls));
    await vi.runAllTimersAsync();
    const start = calls[0]!.at;
    expect(calls.map((c) => c.at - start)).toEqual([0, 100, 300, 5300]);
    expect(queue.pending).toBe(0);
    await queue.close();
  });

  it('gives up after maxAttempts', async () => {
    vi.useFakeTimers();
    const calls: { at: number }[] = [];
    const queue = new PushQueue(log, async () => {}, { baseDelayMs: 10, maxAttempts: 3 });
    queue.enqueue(job(Array.from({ length: 10 }, () => ({ kind: 'retry' as const, retryAfterMs: null })), calls));
    await vi.runAllTimersAsync();
    expect(calls).toHaveLength(3);
    await queue.close();
  });

  it('forgets the subscription on "gone"', async () => {
    const gone: string[] = [];
    const queue = new PushQueue(log, async (endpoint) => void gone.push(endpoint));
    queue.enqueue(job([{ kind: 'gone' }]));
    await vi.waitFor(() => expect(gone).toEqual(['https://push.example/x']));
    await queue.close();
  });

  it('runs at most `concurrency` sends at once', async () => {
    let running = 0;
    let peak = 0;
    const queue = new PushQueue(log, async () => {}, { concurrency: 3 });
    for (let i = 0; i < 10; i++) {
      queue.enqueue({
        endpoint: 'e',
        roomId: 'r',
        userId: 'u',
        send: async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return { kind: 'sent' };
        }
      });
    }
    await vi.waitFor(() => expect(queue.pending).toBe(0));
    expect(peak).toBe(3);
    await queue.close();
  });

  it('close() leaves no timers behind', async () => {
    vi.useFakeTimers();
    const queue = new PushQueue(log, async () => {}, { baseDelayMs: 60_000 });
    queue.enqueue(job([{ kind: 'retry', retryAfterMs: null }]));
    await vi.advanceTimersByTimeAsync(1);
    expect(vi.getTimerCount()).toBe(1);
    await queue.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(queue.pending).toBe(0);
  });
});
