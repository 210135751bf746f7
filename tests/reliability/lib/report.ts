import { mkdir, writeFile } from 'node:fs/promises';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/**
 * What a reliability script found: named pass/fail checks and the figures behind them.
 * `finish` prints "N passed, N failed" (as `npm test` does), writes the same as JSON under
 * test-results/ for scripts/test.js, and sets the exit code.
 */
export class Report {
  readonly checks: Check[] = [];
  readonly figures: Record<string, unknown> = {};

  constructor(readonly name: string) {}

  check(name: string, ok: boolean, detail = ''): boolean {
    this.checks.push({ name, ok, detail });
    console.log(`${ok ? '  ok  ' : '  FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
    return ok;
  }

  figure(name: string, value: unknown): void {
    this.figures[name] = value;
  }

  /** A run that stopped early fails one check saying why, so it cannot pass by doing less. */
  crashed(err: unknown): void {
    this.check('the run completed', false, err instanceof Error ? err.message : String(err));
  }

  async finish(): Promise<void> {
    const passed = this.checks.filter((c) => c.ok).length;
    const failed = this.checks.length - passed;
    await mkdir('test-results', { recursive: true });
    await writeFile(`test-results/reliability-${this.name}.json`, JSON.stringify({ name: this.name, passed, failed, checks: this.checks, figures: this.figures }, null, 2) + '\n');
    console.log(`${this.name}: figures ${JSON.stringify(this.figures)}`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
  }
}

/** A whole-number setting from the environment, with a default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}
