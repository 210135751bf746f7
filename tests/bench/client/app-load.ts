import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { median } from '../lib/stats';
import type { SeededApp } from './app-server';

/** One script a page downloaded, with its size gzipped (level 9, as the build precompresses). */
export interface ScriptSize {
  path: string;
  bytes: number;
  gzipBytes: number;
  /** Libraries recognised in it (see SIGNATURES). */
  holds: string[];
}

/** Strings the minifier keeps, by the library they come from. */
const SIGNATURES: [string, string][] = [
  ['Yjs was already imported', 'yjs'],
  ['_storeTimeout', 'y-indexeddb'],
  ['wsUnsuccessfulReconnects', 'y-websocket'],
  ['https://svelte.dev/e/', 'svelte'],
  ['sveltekit-internal', '@sveltejs/kit'],
  ['~standard', 'valibot'],
  ['workbox', 'workbox-window']
];

function libraries(text: string): string[] {
  return SIGNATURES.filter(([sig]) => text.includes(sig)).map(([, name]) => name);
}

export interface FirstLoad {
  /** 'signed out' (the sign-in screen) or 'signed in' (the room list). */
  visit: string;
  scripts: ScriptSize[];
  gzipBytes: number;
  /** The service worker script and what it precaches, fetched in the background after first load. */
  serviceWorkerGzipBytes: number;
}

/**
 * The JavaScript a first visit downloads: a fresh profile loads `/` and waits for its first
 * screen and for the network to go quiet; every script response the page itself fetched
 * counts (module entry points, modulepreloads, route chunks, lazily imported chunks). The
 * service worker's own fetches (its script, the precache) are summed separately.
 */
export async function firstLoad(browser: Browser, app: SeededApp, signedIn: boolean): Promise<FirstLoad> {
  const context = await browser.newContext({ baseURL: app.url });
  if (signedIn) await context.addCookies([{ name: 'session', value: app.token, url: app.url }]);
  const scripts: Promise<ScriptSize>[] = [];
  const worker: Promise<ScriptSize>[] = [];
  context.on('response', (response) => {
    const request = response.request();
    const path = new URL(response.url()).pathname;
    const fromWorker = request.serviceWorker() !== null || path === '/service-worker.js';
    if (fromWorker ? !path.endsWith('.js') : request.resourceType() !== 'script') return;
    const sized = response.body().then(
      (body) => ({ path, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, holds: libraries(body.toString('utf8')) }),
      () => ({ path, bytes: 0, gzipBytes: 0, holds: [] })
    );
    (fromWorker ? worker : scripts).push(sized);
  });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: signedIn ? 'New room' : 'Sign in' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForTimeout(500);
  const serviceWorkerGzipBytes = (await Promise.all(worker)).reduce((a, s) => a + s.gzipBytes, 0);
  const sizes = (await Promise.all(scripts)).sort((a, b) => b.gzipBytes - a.gzipBytes);
  await context.close();
  return { visit: signedIn ? 'signed in' : 'signed out', scripts: sizes, gzipBytes: sizes.reduce((a, s) => a + s.gzipBytes, 0), serviceWorkerGzipBytes };
}

export interface NavigationResult {
  /** Room list -> click the room -> newest message on screen, ms. */
  clickMs: number[];
  /** Load of /rooms/<id> (navigation start) -> newest message on screen, ms. */
  coldMs: number[];
  /** Message rows in the DOM when the newest one came on screen (the list is virtual). */
  rowsRendered: number;
  clickMedianMs: number;
  coldMedianMs: number;
}

/**
 * Watches every frame for the room's newest message inside the viewport of the message log;
 * records the first frame it is (performance.now(), so from navigation start on a fresh load).
 */
async function watchNewest(context: BrowserContext, newestText: string): Promise<void> {
  // A string, not a function: tsx would wrap named inner functions in a helper the page lacks.
  await context.addInitScript(`(() => {
    const text = ${JSON.stringify(newestText)};
    const frame = () => {
      if (window.__newestAt === undefined) {
        const rows = document.querySelectorAll('[role="log"] article');
        const last = rows[rows.length - 1];
        if (last && last.textContent.includes(text)) {
          const box = last.getBoundingClientRect();
          if (box.height > 0 && box.bottom <= window.innerHeight + 1 && box.top >= 0) {
            window.__newestAt = performance.now();
            window.__rows = rows.length;
          }
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })();`);
}

async function newestShown(page: Page): Promise<{ at: number; rows: number }> {
  await page.waitForFunction(() => (window as unknown as { __newestAt?: number }).__newestAt !== undefined, undefined, { timeout: 60_000, polling: 50 });
  return page.evaluate(() => {
    const w = window as unknown as { __newestAt: number; __rows: number };
    return { at: w.__newestAt, rows: w.__rows };
  });
}

/**
 * Navigation to a room whose history is already on this device (the room was opened once,
 * so its local copy holds every message, and the service worker is installed).
 */
export async function navigation(browser: Browser, app: SeededApp, runs: number): Promise<NavigationResult> {
  const context = await browser.newContext({ baseURL: app.url, viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'session', value: app.token, url: app.url }]);
  await watchNewest(context, app.newestText);
  const page = await context.newPage();
  const roomPath = `/rooms/${app.roomId}`;
  try {
    // First visit: fills the local copy from the server and installs the service worker.
    await page.goto(roomPath);
    await newestShown(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const clickMs: number[] = [];
    const coldMs: number[] = [];
    let rowsRendered = 0;
    for (let r = 0; r < runs; r++) {
      await page.goto('/');
      const link = page.locator(`a[href="${roomPath}"]`);
      await link.waitFor();
      await page.waitForLoadState('networkidle');
      const t0 = await page.evaluate(() => {
        (window as unknown as { __newestAt?: number }).__newestAt = undefined;
        return performance.now();
      });
      await link.click();
      const shown = await newestShown(page);
      clickMs.push(shown.at - t0);
      rowsRendered = shown.rows;
      await page.goto(roomPath);
      coldMs.push((await newestShown(page)).at);
    }
    return { clickMs, coldMs, rowsRendered, clickMedianMs: median(clickMs), coldMedianMs: median(coldMs) };
  } finally {
    await context.close();
  }
}
