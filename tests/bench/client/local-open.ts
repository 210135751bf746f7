import { build } from 'esbuild';
import type { Browser } from '@playwright/test';
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
  plainRunsMs: number[];
  plainMedianMs: number;
}

/** A page origin of its own, served by Playwright itself (no server involved). */
const ORIGIN = 'http://porch-bench.localhost';

async function pageScript(): Promise<string> {
  const out = await build({ entryPoints: ['tests/bench/client/idb-page.ts'], bundle: true, format: 'iife', write: false, minify: true, target: 'es2022' });
  return out.outputFiles[0]!.text;
}

export async function localOpen(browser: Browser, setups: LocalOpenSetup[]): Promise<LocalOpenRow[]> {
  const script = await pageScript();
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('pageerror', e));
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/bench.js')
      ? route.fulfill({ contentType: 'text/javascript', body: script })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench</title><script src="/bench.js"></script>' })
  );
  const rows: LocalOpenRow[] = [];
  try {
    for (const setup of setups) {
      const name = `bench-${setup.messages}-${setup.compacted ? 'compacted' : 'loose'}`;
      await page.goto(`${ORIGIN}/`);
      const storedUpdates = await page.evaluate(([n, count, compacted]) => window.porchBench.fill(n, count, compacted), [name, setup.messages, setup.compacted] as const);
      const runsMs: number[] = [];
      const plainRunsMs: number[] = [];
      for (let r = 0; r < setup.runs; r++) {
        for (const plain of [false, true]) {
          await page.goto(`${ORIGIN}/`);
          const opened = await page.evaluate(([n, p]) => (p ? window.porchBench.openPlain(n) : window.porchBench.open(n)), [name, plain] as const);
          if (opened.messages !== setup.messages) throw new Error(`local open: ${opened.messages} messages, expected ${setup.messages}`);
          (plain ? plainRunsMs : runsMs).push(opened.ms);
        }
      }
      rows.push({ setup, storedUpdates, runsMs, medianMs: median(runsMs), plainRunsMs, plainMedianMs: median(plainRunsMs) });
    }
  } finally {
    await context.close();
  }
  return rows;
}
