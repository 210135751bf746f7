import { bundledPage } from './bundled-page';
import type { Browser, CDPSession } from '@playwright/test';
import { median } from '../lib/stats';

/**
 * Opening a room's local copy: y-indexeddb open -> 'synced' through the app's
 * `openLocalCopy`, in Chromium, for a copy filled as the app fills it (idb-page.ts). Each run
 * loads the page afresh (as opening the app does) and opens the copy once; runs alternate
 * with plain y-indexeddb (what openLocalCopy did before), for a before/after.
 */
export interface LocalOpenSetup {
  messages: number;
  compacted: boolean;
  runs: number;
}

export interface LocalOpenRow {
  setup: LocalOpenSetup;
  storedUpdates: number;
  runsMs: number[];
  medianMs: number;
  /** The page's main-thread CPU time over the same runs: what other work on the machine barely moves. */
  cpuRunsMs: number[];
  cpuMedianMs: number;
  plainRunsMs: number[];
  plainMedianMs: number;
  plainCpuMedianMs: number;
}

/** The room as the app writes it: UUIDs, and a new Yjs client per member every 10 messages (room-fixture.ts). */
const SHAPE = { perSession: 10 };

/** The renderer main thread's CPU time so far (Chromium's Performance.getMetrics ThreadTime), in ms. */
async function threadMs(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const thread = metrics.find((m) => m.name === 'ThreadTime');
  if (!thread) throw new Error('no ThreadTime metric');
  return thread.value * 1000;
}

/** A page origin of its own, served by Playwright itself (no server involved). */
const ORIGIN = 'http://porch-bench.localhost';


export async function localOpen(browser: Browser, setups: LocalOpenSetup[]): Promise<LocalOpenRow[]> {
  const { context, page } = await bundledPage(browser, 'tests/bench/client/idb-page.ts', ORIGIN, 'bench');
  const rows: LocalOpenRow[] = [];
  try {
    for (const setup of setups) {
      const name = `bench-${setup.messages}-${setup.compacted ? 'compacted' : 'loose'}`;
      await page.goto(`${ORIGIN}/`);
      const storedUpdates = await page.evaluate(([n, count, compacted, perSession]) => window.porchBench.fill(n, count, compacted, { perSession }), [name, setup.messages, setup.compacted, SHAPE.perSession] as const);
      const runsMs: number[] = [];
      const cpuRunsMs: number[] = [];
      const plainRunsMs: number[] = [];
      const plainCpuRunsMs: number[] = [];
      for (let r = 0; r < setup.runs; r++) {
        for (const plain of [false, true]) {
          await page.goto(`${ORIGIN}/`);
          const cdp = await context.newCDPSession(page);
          await cdp.send('Performance.enable');
          const cpu0 = await threadMs(cdp);
          const opened = await page.evaluate(([n, p]) => (p ? window.porchBench.openPlain(n) : window.porchBench.open(n)), [name, plain] as const);
          const cpu = (await threadMs(cdp)) - cpu0;
          await cdp.detach();
          if (opened.messages !== setup.messages) throw new Error(`local open: ${opened.messages} messages, expected ${setup.messages}`);
          (plain ? plainRunsMs : runsMs).push(opened.ms);
          (plain ? plainCpuRunsMs : cpuRunsMs).push(cpu);
        }
      }
      rows.push({
        setup,
        storedUpdates,
        runsMs,
        medianMs: median(runsMs),
        cpuRunsMs,
        cpuMedianMs: median(cpuRunsMs),
        plainRunsMs,
        plainMedianMs: median(plainRunsMs),
        plainCpuMedianMs: median(plainCpuRunsMs)
      });
    }
  } finally {
    await context.close();
  }
  return rows;
}
