import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { reconnectStorm } from './reconnect-storm';

/** `npm run bench`: runs every benchmark and writes docs/benchmarks.md. */
const lines: string[] = [
  '# Benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}.`,
  'Needs a build (`npm run build`) and the local Postgres; each row comes from one run of this script.',
  '',
  '## Reconnect storm (issue 3)',
  '',
  '500 y-websocket clients in 50 rooms of 10 on one server (real Postgres); the server is SIGKILLed, stays down 3 s and restarts.',
  'Times are from "server healthy again". Peak connects: most successful connections in one 100 ms window, × 10.',
  '',
  '| policy | clients | all synced (ms) | median synced (ms) | peak connects/s | attempts while down | never back |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'
];
for (const r of await reconnectStorm()) {
  lines.push(`| ${r.policy} | ${r.clients} | ${r.allSyncedMs.toFixed(0)} | ${r.p50SyncedMs.toFixed(0)} | ${r.peakConnectsPerSec} | ${r.attemptsWhileDown} | ${r.neverBack} |`);
  console.log(r);
}
await writeFile('docs/benchmarks.md', lines.join('\n') + '\n');
console.log('wrote docs/benchmarks.md');
