import { execFileSync } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { durableAck, type DurableAckResult } from './durable-ack';
import { fanOut, type FanOutRun } from './fan-out';
import { fmt, median } from './lib/stats';

/**
 * Two builds of Porch side by side in one run: BENCH_BASELINE is the other build's
 * server.js (e.g. a worktree of an older commit after `npm run build`), compared with
 * build/server.js on the fan-out at 1,000 clients and the durable ack, alternating
 * baseline and current RUNS times each so that drift of the machine hits both alike.
 * `BENCH_BASELINE=../old/build/server.js npx tsx tests/bench/compare-builds.ts` writes
 * docs/benchmarks-compare.md (BENCH_BASELINE_NAME: what the baseline is, for the page).
 */
const baseline = process.env.BENCH_BASELINE;
if (!baseline) throw new Error('BENCH_BASELINE must name the other build’s server.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const builds = [
  { name: 'before', server: baseline },
  { name: 'after', server: process.env.BENCH_CANDIDATE ?? 'build/server.js' }
];
/** BENCH_SECTIONS=fanout or durable: only that one (for a quick look; the page is still written). */
const sections = process.env.BENCH_SECTIONS?.split(',') ?? ['fanout', 'durable'];
for (const b of builds) await stat(b.server);

const fanOutSetup = { rooms: 40, perRoom: 25, ratePerRoom: 20, warmupMs: 2000, windowMs: 10_000, runs: 1, only: ['porch' as const] };
const durableSetup = { rooms: 100, rate: 1000, warmupMs: 2000, windowMs: 10_000, ramp: [], rampStepMs: 0 };
const results = new Map(builds.map((b) => [b.name, { fan: [] as FanOutRun[], ack: [] as DurableAckResult[] }]));

for (let i = 0; i < RUNS; i++) {
  for (const build of i % 2 === 0 ? builds : [...builds].reverse()) {
    process.env.BENCH_PORCH_SERVER = build.server;
    const r = results.get(build.name)!;
    if (sections.includes('fanout')) r.fan.push((await fanOut(fanOutSetup))[0]!.runs[0]!);
    if (sections.includes('durable')) r.ack.push(await durableAck(durableSetup));
    console.error(`run ${i + 1} ${build.name}: ${fmt(r.fan.at(-1)?.cpuUsPerDelivery ?? NaN)} µs/delivery, ack p50 ${fmt(r.ack.at(-1)?.steady.p50Ms ?? NaN)} ms`);
  }
}

const row = (name: string) => {
  const r = results.get(name)!;
  const m = (xs: number[]) => fmt(median(xs));
  return `| ${name} | ${m(r.fan.map((f) => f.cpuUsPerDelivery))} | ${m(r.fan.map((f) => f.p99Ms))} | ${m(r.ack.map((a) => a.steady.p50Ms))} | ${m(r.ack.map((a) => a.steady.p99Ms))} | ${m(r.ack.map((a) => a.serverCpuUsPerMessage))} |`;
};
const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const page = [
  '# Two builds side by side',
  '',
  `Written by \`tests/bench/compare-builds.ts\` on ${new Date().toISOString().slice(0, 10)}: before = ${process.env.BENCH_BASELINE_NAME ?? baseline}, after = \`build/server.js\` at ${head}. Medians of ${RUNS} alternating runs on this machine (server pinned to one core, load generator on the other). Fan-out: 1,000 clients in rooms of 25, 20 msg/s per room (as in docs/benchmarks.md). Durable ack: 100 rooms, 1,000 msg/s, real Postgres.`,
  '',
  '| build | fan-out µs CPU / delivery | fan-out p99 (ms) | ack p50 (ms) | ack p99 (ms) | ack server µs CPU / message |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  row('before'),
  row('after'),
  '',
  `Per run, fan-out µs / delivery: ${builds.map((b) => `${b.name} ${results.get(b.name)!.fan.map((f) => fmt(f.cpuUsPerDelivery)).join(', ')}`).join('; ')}.`,
  ''
].join('\n');
console.log(page);
await writeFile('docs/benchmarks-compare.md', page);
