import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/** The value at quantile `q` (0-1) of `values` (nearest rank); NaN when empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Pins this process (every thread) to `cpuList` (taskset syntax); `null` undoes it (all cores). */
export function pinSelf(cpuList: string | null): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpuList ?? `0-${cpus().length - 1}`, String(process.pid)], { stdio: 'ignore' });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `x` with `digits` decimals, or "–" for NaN. */
export function fmt(x: number, digits = 1): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}
