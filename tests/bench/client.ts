import { measureAppends, roomState, type AppendRow, type AppendSetup } from './client/appends';
import { firstLoad, navigation, type FirstLoad, type NavigationResult } from './client/app-load';
import { seededApp } from './client/app-server';
import { launchChromium } from './client/browser';
import { localOpen, type LocalOpenRow, type LocalOpenSetup } from './client/local-open';
import { searchLatency, searchTables, type SearchRow, type SearchSetup } from './client/search';
import { roomListLatency, type RoomListLatency } from './client/room-list-latency';
import { fmt } from './lib/stats';

/**
 * Issue 6, item 6 (the client): JavaScript on first load, opening a room's local copy,
 * navigation to a long room, and the cost of one's own appends on a long room document;
 * issue 13: message search latency per keystroke.
 * Each part returns rows; `clientTables` turns them into the markdown of docs/benchmarks.md.
 */
export interface ClientSetup {
  appends: AppendSetup[];
  localOpens: LocalOpenSetup[];
  /** Message search over the rooms on the device (issue 13). */
  search: SearchSetup[];
  /** Messages in the room navigated to, and how many times. */
  navigation: { messages: number; runs: number };
  /** Port for the built app (CLIENT_APP_PORT). */
  port: number;
}

export interface ClientResults {
  appends: AppendRow[];
  localOpens: LocalOpenRow[];
  search: SearchRow[];
  firstLoads: FirstLoad[];
  navigation: NavigationResult;
  navigationSetup: ClientSetup['navigation'];
  roomList: RoomListLatency;
}

export async function clientBenchmarks(setup: ClientSetup): Promise<ClientResults> {
  const appends: AppendRow[] = [];
  const states = new Map<number, Uint8Array>();
  for (const s of setup.appends) {
    if (!states.has(s.messages)) states.set(s.messages, roomState(s.messages));
    appends.push(...measureAppends(s, states.get(s.messages)));
  }
  states.clear();
  const browser = await launchChromium();
  try {
    const localOpens = await localOpen(browser, setup.localOpens);
    const search = await searchLatency(browser, setup.search);
    const app = await seededApp(setup.port, setup.navigation.messages);
    try {
      const firstLoads = [await firstLoad(browser, app, false), await firstLoad(browser, app, true)];
      const nav = await navigation(browser, app, setup.navigation.runs);
      await app.stop();
      const roomList = await roomListLatency(browser, setup.port);
      return { appends, localOpens, search, firstLoads, navigation: nav, navigationSetup: setup.navigation, roomList };
    } finally {
      await app.stop();
    }
  } finally {
    await browser.close();
  }
}

const KB = 1000;
const met = (ok: boolean) => (ok ? 'yes' : '**no**');

/** Only the room list's latency (`BENCH_ONLY=roomlist`), in a browser of its own. */
export async function roomListBenchmark(port: number): Promise<RoomListLatency> {
  const browser = await launchChromium();
  try {
    return await roomListLatency(browser, port);
  } finally {
    await browser.close();
  }
}

/** The room list row of the client table. */
export function roomListRow(r: RoomListLatency): string {
  return `| room list update: member added → room on the other's open list (user channel), p50 / p99 of ${r.samples} (max ${fmt(r.maxMs, 0)} ms) | ${fmt(r.p50Ms, 0)} / ${fmt(r.p99Ms, 0)} ms | ≤ 1 s | ${met(r.p99Ms <= 1000)} |`;
}

/** Only the search part (`BENCH_ONLY=search`), in a browser of its own. */
export async function searchBenchmarks(setups: SearchSetup[]): Promise<SearchRow[]> {
  const browser = await launchChromium();
  try {
    return await searchLatency(browser, setups);
  } finally {
    await browser.close();
  }
}

export function clientTables(r: ClientResults, runs: number): string[] {
  const lines: string[] = [
    '## Client (issue 6, item 6)',
    '',
    `Chromium (the system \`/usr/bin/chromium\`, headless) on the built app (\`npm run build\`), median of ${runs} runs each. The machine is shared: figures taken while other work runs on it are noisy.`,
    '',
    '| figure | measured | target | met? |',
    '| --- | ---: | ---: | --- |'
  ];
  for (const f of r.firstLoads) {
    lines.push(`| JavaScript on first load, ${f.visit} (gzip) | ${fmt(f.gzipBytes / KB)} KB | ≤ 100 KB | ${met(f.gzipBytes <= 100 * KB)} |`);
  }
  for (const o of r.localOpens) {
    const target = o.setup.messages <= 10_000 ? 100 : 500;
    lines.push(
      `| local copy open → synced, ${o.setup.messages.toLocaleString('en')} messages, ${o.setup.compacted ? 'compacted (1 stored update)' : `not yet compacted (${o.storedUpdates} stored updates)`} | ${fmt(o.medianMs, 0)} ms | ≤ ${target} ms | ${met(o.medianMs <= target)} |`
    );
  }
  for (const s of r.search) {
    lines.push(
      `| message search, ${s.setup.messages.toLocaleString('en')} messages on the device: per keystroke p50 / p99 (index build ${fmt(s.buildMedianMs, 0)} ms) | ${fmt(s.p50Ms, 2)} / ${fmt(s.p99Ms, 1)} ms | ≤ 100 ms | ${met(s.p99Ms <= 100)} |`
    );
  }
  for (const a of r.appends.filter((x) => x.way.startsWith('sendMessage') && x.setup.remotePerAppend > 0)) {
    lines.push(
      `| own append, ${a.setup.messages.toLocaleString('en')} messages, ${a.setup.remotePerAppend} remote messages applied between own appends (median / p99) | ${fmt(a.medianMs, 3)} / ${fmt(a.p99Ms, 3)} ms | ≤ 0.1 ms median (ours; none in the issue) | ${met(a.medianMs <= 0.1)} |`
    );
  }
  lines.push(roomListRow(r.roomList));
  const n = r.navigationSetup.messages.toLocaleString('en');
  lines.push(
    `| room list → click room → newest message on screen, ${n} messages | ${fmt(r.navigation.clickMedianMs, 0)} ms | ≤ 1 s | ${met(r.navigation.clickMedianMs <= 1000)} |`,
    `| load of /rooms/<id> → newest message on screen, ${n} messages | ${fmt(r.navigation.coldMedianMs, 0)} ms | ≤ 1 s | ${met(r.navigation.coldMedianMs <= 1000)} |`,
    ''
  );
  lines.push(
    `Per run: click ${r.navigation.clickMs.map((x) => fmt(x, 0)).join(', ')} ms; load ${r.navigation.coldMs.map((x) => fmt(x, 0)).join(', ')} ms.`,
    ''
  );
  lines.push(
    '### JavaScript on first load',
    '',
    'A fresh Chromium profile loads `/` and waits for its first screen (sign-in form, or the room list when a session cookie is set), the network to go quiet and the service worker to be ready. Every script the page fetched counts (entry, modulepreloads, route chunks, lazy chunks), each gzipped at level 9 as the build precompresses them. The service worker script and its precache are fetched in the background after that and are not counted: ' +
      r.firstLoads.map((f) => `${fmt(f.serviceWorkerGzipBytes / KB)} KB gzip (${f.visit})`).join(', ') +
      '.',
    '',
    '| visit | script | bytes | gzip bytes | holds |',
    '| --- | --- | ---: | ---: | --- |'
  );
  for (const f of r.firstLoads) {
    const big = f.scripts.filter((s) => s.gzipBytes >= 1000);
    for (const s of big) lines.push(`| ${f.visit} | \`${s.path.replace('/_app/immutable/', '')}\` | ${s.bytes} | ${s.gzipBytes} | ${s.holds.join(', ') || '–'} |`);
    const rest = f.scripts.slice(big.length);
    lines.push(`| ${f.visit} | ${rest.length} smaller scripts | ${rest.reduce((a, s) => a + s.bytes, 0)} | ${rest.reduce((a, s) => a + s.gzipBytes, 0)} | |`);
  }
  lines.push(
    '',
    '### Opening the local copy',
    '',
    "In a page of its own (idb-page.ts, bundled with esbuild): the room's copy is filled as the app fills it — a document of N messages written through `sendMessage` by 40 members with UUID message and user ids, each member from a new Yjs client every 10 messages (every page load is a new client), stored by y-indexeddb as one update (what the first sync from the server, or y-indexeddb's compaction, leaves), and in the not-yet-compacted case the last 498 messages arriving one by one afterwards, one stored update each (y-indexeddb compacts once a copy holds 500). Each run loads the page afresh and times the app's `openLocalCopy` until y-indexeddb's `synced`, wall clock and the page's main-thread CPU time (Chromium's `ThreadTime`, which other work on the machine barely moves); runs alternate with plain y-indexeddb and Yjs, without what `openLocalCopy` adds (its `update` listener attached while it loads, which makes Yjs re-encode the whole loaded copy, and lib0's reader of message values, not any-reader.ts).",
    '',
    '| messages | stored as | openLocalCopy (ms) | its main-thread CPU (ms) | plain y-indexeddb (ms) | its main-thread CPU (ms) |',
    '| ---: | --- | ---: | ---: | ---: | ---: |'
  );
  for (const o of r.localOpens) {
    lines.push(
      `| ${o.setup.messages.toLocaleString('en')} | ${o.setup.compacted ? '1 update' : `${o.storedUpdates} updates`} | ${fmt(o.medianMs, 0)} (${o.runsMs.map((x) => fmt(x, 0)).join(', ')}) | ${fmt(o.cpuMedianMs, 0)} | ${fmt(o.plainMedianMs, 0)} (${o.plainRunsMs.map((x) => fmt(x, 0)).join(', ')}) | ${fmt(o.plainCpuMedianMs, 0)} |`
    );
  }
  lines.push('');
  lines.push(...searchTables(r.search));
  lines.push(
    '### Navigation to a long room',
    '',
    `The built server (embedded database) with one member and a room of ${n} messages sent through the sync protocol (batches of 500, each durably acknowledged). The member opens the room once (the local copy fills, the service worker installs). Then per run: \`/\` loads, the room link is clicked, and the time runs until a frame in which the newest message's row lies inside the viewport (checked every animation frame); then \`/rooms/<id>\` is loaded and timed from navigation start the same way. The list is virtual: ${r.navigation.rowsRendered} rows were in the DOM when the newest came on screen; the rest of the last 50 are a scroll away, already in memory.`,
    ''
  );
  lines.push(
    '### Own appends on a long room document',
    '',
    'Node, yjs 13.6: two replicas of a room of N messages (40 members, one Yjs client each). Per own append, the other replica first sends `remote` messages that are applied as remote updates (as the WebsocketProvider applies them); then one own append is timed. "sendMessage (the app)" is the app\'s send path; the other two are the plain Yjs calls, for comparison (`insert(length, …)` alone is what `sendMessage` did before this benchmark).',
    '',
    '| messages | remote per own append | way | median ms / append | p99 ms |',
    '| ---: | ---: | --- | ---: | ---: |'
  );
  for (const a of r.appends) {
    lines.push(`| ${a.setup.messages.toLocaleString('en')} | ${a.setup.remotePerAppend} | ${a.way} | ${fmt(a.medianMs, 4)} | ${fmt(a.p99Ms, 3)} |`);
  }
  lines.push('');
  return lines;
}
