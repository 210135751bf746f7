import { bundledPage } from './bundled-page';
import type { Browser, CDPSession } from '@playwright/test';
import { fmt, median, quantile } from '../lib/stats';

/**
 * Issue 13: message search over the messages on this device, in Chromium. Per setup, each run
 * loads the page afresh (search-page.ts), fills the rooms, builds the index as the app does,
 * then types the queries one keystroke at a time, timing each keystroke's lookup.
 */
export interface SearchSetup {
  messages: number;
  rooms: number;
  runs: number;
}

export interface SearchRow {
  setup: SearchSetup;
  distinctWords: number;
  buildRunsMs: number[];
  buildMedianMs: number;
  heapMb: number | null;
  keystrokes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** The slowest keystroke's query and its hit count, to see what costs most. */
  slowest: { query: string; hits: number };
}

const ORIGIN = 'http://porch-search-bench.localhost';

/** The page's JS heap after a full GC, in bytes. */
async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}


export async function searchLatency(browser: Browser, setups: SearchSetup[]): Promise<SearchRow[]> {
  const { context, page } = await bundledPage(browser, 'tests/bench/client/search-page.ts', ORIGIN, 'search bench');
  const rows: SearchRow[] = [];
  try {
    for (const setup of setups) {
      const buildRunsMs: number[] = [];
      const keystrokeMs: number[] = [];
      let heapMb: number | null = null;
      let distinctWords = 0;
      let slowest = { ms: -1, query: '', hits: 0 };
      for (let r = 0; r < setup.runs; r++) {
        await page.goto(`${ORIGIN}/`);
        const filled = await page.evaluate(([n, rooms]) => window.porchSearch.fill(n, rooms), [setup.messages, setup.rooms] as const);
        distinctWords = filled.distinctWords;
        const cdp = await context.newCDPSession(page);
        const heapBefore = await heapAfterGc(cdp);
        const built = await page.evaluate(() => window.porchSearch.build());
        if (built.indexed !== setup.messages) throw new Error(`search: ${built.indexed} indexed, expected ${setup.messages}`);
        buildRunsMs.push(built.ms);
        heapMb = ((await heapAfterGc(cdp)) - heapBefore) / 1e6;
        await cdp.detach();
        const queries = await page.evaluate(() => window.porchSearch.queries());
        const typed = await page.evaluate((q) => window.porchSearch.type(q), queries);
        const prefixes = queries.flatMap((q) => Array.from({ length: q.length }, (_, k) => q.slice(0, k + 1)));
        typed.ms.forEach((ms, i) => {
          if (ms > slowest.ms) slowest = { ms, query: prefixes[i]!, hits: typed.hits[i]! };
        });
        keystrokeMs.push(...typed.ms);
      }
      rows.push({
        setup,
        distinctWords,
        buildRunsMs,
        buildMedianMs: median(buildRunsMs),
        heapMb,
        keystrokes: keystrokeMs.length,
        p50Ms: quantile(keystrokeMs, 0.5),
        p99Ms: quantile(keystrokeMs, 0.99),
        maxMs: Math.max(...keystrokeMs),
        slowest: { query: slowest.query, hits: slowest.hits }
      });
      console.log('search', rows.at(-1));
    }
  } finally {
    await context.close();
  }
  return rows;
}

export function searchTables(rows: SearchRow[]): string[] {
  const lines = [
    '### Message search (issue 13)',
    '',
    'In a page of its own (search-page.ts, bundled with esbuild): N chat-like messages (3 to 17 words each, drawn Zipf-like from 300 common words and a tail of 20,000 rare ones) sent through `sendMessage` into 20 rooms. The index is built as the app builds it on the search field\'s first focus (`RoomIndexer` per room, walked in slices of 8 ms with the page given a turn between them, then the word lists put in time order the same way; build time is wall clock, slices and turns included). Then 17 queries (common words, rare ones, two words, one that matches nothing) are typed one character at a time, and each keystroke\'s `findMessages` is timed (index lookup, the newest 50 hits, their snippets: what the field runs on every input, before Svelte renders the list). Heap: the page\'s JS heap after a full GC, after the build minus before it (the rooms\' docs exist before): what the index holds.',
    '',
    '| messages | index build (ms) | heap growth (MB) | keystrokes | p50 ms / keystroke | p99 ms | max ms (query, hits) | target |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |'
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.setup.messages.toLocaleString('en')} | ${fmt(r.buildMedianMs, 0)} (${r.buildRunsMs.map((x) => fmt(x, 0)).join(', ')}) | ${r.heapMb === null ? '–' : fmt(r.heapMb, 0)} | ${r.keystrokes} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 1)} | ${fmt(r.maxMs, 1)} ("${r.slowest.query}", ${r.slowest.hits.toLocaleString('en')}) | ≤ 100 ms: ${r.p99Ms <= 100 ? 'yes' : '**no**'} |`
    );
  }
  lines.push('');
  return lines;
}
