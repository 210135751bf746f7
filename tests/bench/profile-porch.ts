import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fanOut } from './fan-out';

/**
 * `npx tsx tests/bench/profile-porch.ts`: Porch under the 1,000-client fan-out load with
 * `node --cpu-prof`, then the functions with the most self time and the time per source.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const dir = await mkdtemp(join(tmpdir(), 'porch-prof-'));
const [row] = await fanOut({ rooms: 40, perRoom: 25, ratePerRoom: 20, warmupMs: 2000, windowMs: 10_000, runs: 1, only: ['porch'], nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
console.log('fan-out under the profiler:', row?.median);
const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error(`no profile in ${dir}`);
const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
// Only the steady state: the last 11 s before shutdown (not startup or the 1,000 handshakes).
const times: number[] = [];
profile.timeDeltas.reduce((t, d) => (times.push(t + d), t + d), 0);
const end = times.at(-1) ?? 0;
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
  if (times[i]! > end - 11_500_000 && times[i]! < end - 500_000) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map<string, number>();
const sources = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/main\//, '');
  const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const source = url === '' ? functionName : (/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node core' : short));
  sources.set(source, (sources.get(source) ?? 0) + us);
}
const top = (m: Map<string, number>, n: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)} %  ${k}`).join('\n');
console.log(`profile ${join(dir, file)}: ${(total / 1e6).toFixed(1)} s sampled\n\nself time by function:\n${top(fns, 30)}\n\nself time by source:\n${top(sources, 15)}`);
