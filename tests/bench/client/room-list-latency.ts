import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { ServerProcess } from '../lib/server-process';
import { api as post } from './app-server';
import { median, quantile } from '../lib/stats';

/**
 * Issue 13: how long after one person adds another to a room the room shows in the other's
 * open room list (user channel, SPEC 22). The clock starts as the request to add them is
 * sent and stops when the row is in the other page's DOM (a MutationObserver there, on the
 * same machine's clock), so the figure holds the API call, the Postgres read of the list,
 * the socket, and Svelte's render.
 */
export interface RoomListLatency {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export async function roomListLatency(browser: Browser, port: number, samples = 40): Promise<RoomListLatency> {
  const dataDir = await mkdtemp(join(tmpdir(), 'porch-roomlist-bench-'));
  const server = new ServerProcess(port, { DATA_DIR: dataDir, DATABASE_URL: '' });
  await server.start();
  try {
    const url = server.url;
    const stamp = Date.now().toString(36);
    const ana = await post<{ token: string }>(url, '/api/auth/register', { username: `lat_ana${stamp}`, password: 'correct horse battery' });
    const bo = await post<{ token: string }>(url, '/api/auth/register', { username: `lat_bo${stamp}`, password: 'correct horse battery' });
    const context = await browser.newContext({ baseURL: url });
    await context.addCookies([{ name: 'session', value: bo.token, url }]);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByRole('button', { name: 'New room' }).waitFor({ timeout: 30_000 });
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const name = `Latency ${i}`;
      const { room } = await post<{ room: { id: string } }>(url, '/api/rooms', { name }, ana.token);
      // A string, not a function: tsx would wrap named functions in a helper the page lacks.
      const shown = page.evaluate(`new Promise((resolve) => {
        const text = ${JSON.stringify(name)};
        const observer = new MutationObserver(() => {
          if (![...document.querySelectorAll('a')].some((a) => a.textContent.includes(text))) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      })`) as Promise<number>;
      // Let the observer be in place before the clock starts.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
      const started = Date.now();
      await post(url, `/api/rooms/${room.id}/members`, { username: `lat_bo${stamp}` }, ana.token);
      times.push((await Promise.race([shown, new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`${name} never showed`)), 10_000))])) - started);
    }
    await context.close();
    return { samples, p50Ms: median(times), p99Ms: quantile(times, 0.99), maxMs: Math.max(...times) };
  } finally {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
