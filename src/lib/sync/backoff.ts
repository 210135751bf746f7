/** Reconnect backoff: full jitter under a ceiling that grows with the time spent disconnected. */
const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

/**
 * A delay in [0, ceiling), ceiling = min(cap, max(base, disconnectedForMs / 2)).
 * The randomness spreads a crowd of clients that lost the server at the same moment. The
 * ceiling follows elapsed time, not the attempt count: with a per-attempt exponent, clients
 * that happened to draw short delays race to large exponents and, after a 3 s restart,
 * some slept 25 s more (measured: docs/benchmarks.md). This way a client is back within
 * about half the outage's length once the server is, and a long outage still backs off to
 * the 30 s cap.
 */
export function reconnectDelay(disconnectedForMs: number, random: () => number = Math.random): number {
  return random() * Math.min(BACKOFF_CAP_MS, Math.max(BACKOFF_BASE_MS, disconnectedForMs / 2));
}

/** The least a client waits after the server said "slow down" (close 4429). */
export const SLOW_DOWN_MIN_MS = 5_000;

/**
 * The wait before reconnecting after the `count`-th 4429 in a row (over the message rate,
 * or too many connections): 5 s, 10 s, 20 s … up to the cap, plus up to half again of
 * jitter, so a throttled client never reconnects hot and a crowd does not come back in step.
 */
export function slowDownDelay(count: number, random: () => number = Math.random): number {
  const floor = Math.min(BACKOFF_CAP_MS, SLOW_DOWN_MIN_MS * 2 ** Math.max(0, count - 1));
  return floor + random() * (floor / 2);
}
