import { readFile } from 'node:fs/promises';

/**
 * User + system CPU time, in microseconds, of the given Postgres backends (same machine;
 * pids from pg_stat_activity). Backends that are gone count as 0.
 */
export async function postgresCpuMicros(backends: { pid: number }[]): Promise<number> {
  let ticks = 0;
  for (const { pid } of backends) {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // not visible or exited
    }
  }
  return (ticks * 1e6) / 100;
}
