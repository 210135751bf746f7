// The one test command (`npm test`): type check, lint, Vitest (its `unit` and `integration`
// projects, vite.config.ts), build, end-to-end (Playwright in Chromium), reliability (crash
// durability, load soak). Runs every suite even when one fails, then prints one line that
// totals them all: "N passed, N failed". A skipped or todo test counts as failed, and so does
// a suite that exits non-zero without reporting a failed test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

/** @type {{ name: string, passed: number, failed: number }[]} */
const results = [];
mkdirSync('test-results', { recursive: true });

/**
 * Runs one suite with the terminal attached, timing it.
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @param {{ env?: Record<string, string>, timeoutS?: number }} [options]
 * @returns {boolean} whether it exited 0
 */
function run(name, command, args, { env = {}, timeoutS } = {}) {
  const shown = [...Object.entries(env).map(([k, v]) => `${k}=${v}`), command, ...args].join(' ');
  console.log(`\n=== ${name}: ${shown}`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, ...(timeoutS ? { timeout: timeoutS * 1000 } : {}) });
  const ok = r.status === 0;
  console.log(`=== ${name}: ${ok ? 'ok' : `failed (exit ${r.status ?? r.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return ok;
}

/** @param {string} path @returns {any} */
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Records a suite's counts; a non-zero exit with no failure counted is one failure more.
 * @param {string} name @param {boolean} ok @param {number} passed @param {number} failed
 */
function record(name, ok, passed, failed) {
  results.push({ name, passed, failed: failed + (ok || failed > 0 ? 0 : 1) });
}

// Type check and lint count as one test each.
for (const { name, script } of [{ name: 'typecheck', script: 'check' }, { name: 'lint', script: 'lint' }]) {
  const ok = run(name, 'npm', ['run', '-s', script]);
  record(name, ok, ok ? 1 : 0, 0);
}

rmSync('test-results/vitest.json', { force: true });
const vitestOk = run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']);
const vitest = readJson('test-results/vitest.json');
record('vitest', vitestOk, vitest?.numPassedTests ?? 0, (vitest?.numFailedTests ?? 0) + (vitest?.numPendingTests ?? 0) + (vitest?.numTodoTests ?? 0));

const built = run('build', 'npm', ['run', '-s', 'build']);
if (built && existsSync('build/server.js')) {
  // playwright.config.ts writes test-results/e2e.json.
  rmSync('test-results/e2e.json', { force: true });
  const e2eOk = run('e2e', 'npx', ['playwright', 'test']);
  const stats = readJson('test-results/e2e.json')?.stats;
  record('e2e', e2eOk, stats?.expected ?? 0, (stats?.unexpected ?? 0) + (stats?.flaky ?? 0) + (stats?.skipped ?? 0));
  reliability();
} else {
  record('build', false, 0, 1);
}

/**
 * Crash durability (real Postgres, then embedded PGlite with fewer kills) and the 5-minute
 * load soak, against build/server.js. Each script writes its checks to
 * test-results/reliability-<name>.json (tests/reliability/lib/report.ts); each check counts
 * as a test.
 */
function reliability() {
  /** @type {{ name: string, script: string, env: Record<string, string>, timeoutS: number }[]} */
  const scripts = [
    { name: 'crash', script: 'tests/reliability/crash.ts', env: {}, timeoutS: 240 },
    { name: 'crash-embedded', script: 'tests/reliability/crash.ts', env: { CRASH_DATABASE: 'embedded', CRASH_KILLS: '10' }, timeoutS: 240 },
    { name: 'soak', script: 'tests/reliability/soak.ts', env: {}, timeoutS: 480 }
  ];
  for (const { name, script, env, timeoutS } of scripts) {
    const file = `test-results/reliability-${name}.json`;
    rmSync(file, { force: true });
    const ok = run(`reliability ${name}`, 'npx', ['tsx', script], { env, timeoutS });
    const out = readJson(file);
    record(`rel ${name}`, ok, out?.passed ?? 0, out?.failed ?? 0);
  }
}

console.log('\nSuites:');
for (const r of results) console.log(`  ${r.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
