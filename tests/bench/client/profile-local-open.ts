import { build } from 'esbuild';
import { launchChromium } from './browser';

/**
 * `npx tsx tests/bench/client/profile-local-open.ts [messages] [compacted|loose] [runs]`:
 * opens a room's local copy in Chromium under the CDP sampling profiler (idb-page.ts, not
 * minified) and prints the functions with the most self time, summed over the runs.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const messages = Number(process.argv[2] ?? 10_000);
const compacted = (process.argv[3] ?? 'compacted') === 'compacted';
const runs = Number(process.argv[4] ?? 5);
const ORIGIN = 'http://porch-bench.localhost';
const out = await build({ entryPoints: ['tests/bench/client/idb-page.ts'], bundle: true, format: 'iife', write: false, minify: false, target: 'es2022' });
const script = out.outputFiles[0]!.text;
const lines = script.split('\n');

const browser = await launchChromium();
const page = await browser.newPage();
await page.route(`${ORIGIN}/**`, (route) =>
  route.request().url().endsWith('/bench.js')
    ? route.fulfill({ contentType: 'text/javascript', body: script })
    : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title><script src="/bench.js"></script>' })
);
const name = `prof-${messages}-${compacted}`;
await page.goto(`${ORIGIN}/`);
// The room as the app writes it, as the client bench fills it (local-open.ts).
console.log('stored updates', await page.evaluate(([n, c, k]) => window.porchBench.fill(n, c, k, { perSession: 10 }), [name, messages, compacted] as const));
const self = new Map<string, number>();
const ms: number[] = [];
let totalUs = 0;
for (let r = 0; r < runs; r++) {
  await page.goto(`${ORIGIN}/`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  const opened = await page.evaluate((n) => window.porchBench.open(n), name);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  ms.push(opened.ms);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const f = node.callFrame;
    const where = f.url.endsWith('bench.js') ? (lines[f.lineNumber]?.trim().slice(0, 50) ?? '') : f.url;
    const key = `${f.functionName || '(anon)'} ${where}`;
    const us = profile.timeDeltas[i] ?? 0;
    totalUs += us;
    self.set(key, (self.get(key) ?? 0) + us);
  });
  await cdp.detach();
}
console.log('open ms (profiled):', ms.map((x) => x.toFixed(0)).join(', '));
console.log(`total sampled ${(totalUs / 1000 / runs).toFixed(1)} ms per run`);
for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(`${(us / 1000 / runs).toFixed(2).padStart(8)} ms  ${k}`);
await browser.close();
