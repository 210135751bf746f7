// The one test command (`npm test`): type check, lint, unit + integration (vitest),
// build, end-to-end (Playwright in Chromium), reliability (crash durability, load soak).
// Runs every suite even when one fails, then prints one line that totals them all:
// "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

/** @type {{ name: string, passed: number, failed: number }[]} */
const results = [];
mkdirSync('test-results', { recursive: true });

/**
 * @param {string} name
 * @param {string} command
 * @param {string[]} args
 * @returns {boolean} whether it exited 0
 */
function run(name, command, args) {
  console.log(`\n=== ${name}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const r = spawnSync(command, args, { stdio: 'inherit', env: process.env });
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

// Type check and lint count as one test each.
for (const { name, script } of [{ name: 'typecheck', script: 'check' }, { name: 'lint', script: 'lint' }]) {
  const ok = run(name, 'npm', ['run', '-s', script]);
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
}

rmSync('test-results/vitest.json', { force: true });
const vitestOk = run('unit + integration', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json']);
const vitest = readJson('test-results/vitest.json');
results.push({
  name: 'vitest',
  passed: vitest?.numPassedTests ?? 0,
  failed: (vitest?.numFailedTests ?? 0) + (vitest?.numPendingTests ?? 0) + (vitestOk || vitest?.numFailedTests ? 0 : 1)
});

const built = run('build', 'npm', ['run', '-s', 'build']);
if (built && existsSync('build/server.js')) {
  rmSync('test-results/e2e.json', { force: true });
  const e2eOk = run('e2e', 'npx', ['playwright', 'test']);
  const stats = readJson('test-results/e2e.json')?.stats;
  results.push({
    name: 'e2e',
    passed: stats?.expected ?? 0,
    failed: (stats?.unexpected ?? 0) + (stats?.flaky ?? 0) + (stats?.skipped ?? 0) + (e2eOk || stats?.unexpected ? 0 : 1)
  });
  reliability();
} else {
  results.push({ name: 'build', passed: 0, failed: 1 });
}

/**
 * Crash durability (real Postgres, then embedded PGlite with fewer kills) and the 5-minute
 * load soak, against build/server.js. Each script writes its checks to
 * test-results/reliability-<name>.json; each check counts as a test.
 */
function reliability() {
  const scripts = [
    { name: 'crash', env: {}, timeoutS: 240 },
    { name: 'crash-embedded', env: { CRASH_DATABASE: 'embedded', CRASH_KILLS: '10' }, timeoutS: 240 },
    { name: 'soak', env: {}, timeoutS: 480 }
  ];
  for (const { name, env, timeoutS } of scripts) {
    const file = `test-results/reliability-${name}.json`;
    rmSync(file, { force: true });
    const script = name.startsWith('crash') ? 'tests/reliability/crash.ts' : 'tests/reliability/soak.ts';
    console.log(`\n=== reliability ${name}: ${Object.entries(env).map(([k, v]) => `${k}=${v} `).join('')}tsx ${script}`);
    const started = Date.now();
    const r = spawnSync('npx', ['tsx', script], { stdio: 'inherit', env: { ...process.env, ...env }, timeout: timeoutS * 1000 });
    console.log(`=== reliability ${name}: exit ${r.status ?? r.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const out = readJson(file);
    results.push({
      name: `rel ${name}`,
      passed: out?.passed ?? 0,
      failed: (out?.failed ?? 0) + (r.status === 0 || out?.failed ? 0 : 1)
    });
  }
}

console.log('\nSuites:');
for (const r of results) console.log(`  ${r.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed`);
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
