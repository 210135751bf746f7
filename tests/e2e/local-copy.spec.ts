import { expect, test } from '@playwright/test';
import { build } from 'esbuild';

/**
 * The room's copy on this device (src/lib/sync/local-copy.ts), in Chromium's real IndexedDB:
 * while the stored copy loads, storing is held back (loading must not re-encode the room);
 * nothing written meanwhile or afterwards may be lost.
 */

const ORIGIN = 'http://local-copy.localhost';

test('a message written while the local copy loads, and one after, are both kept', async ({ page }) => {
  const bundle = await build({ entryPoints: ['tests/e2e/local-copy-page.ts'], bundle: true, format: 'iife', write: false, target: 'es2022' });
  await page.route(`${ORIGIN}/**`, (route) =>
    route.request().url().endsWith('/page.js')
      ? route.fulfill({ contentType: 'text/javascript', body: bundle.outputFiles[0]!.text })
      : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>local copy</title><script src="/page.js"></script>' })
  );
  await page.goto(`${ORIGIN}/`);
  await page.evaluate(() => window.localCopy.fill('room', 300));

  await page.reload();
  const loaded = await page.evaluate(() => window.localCopy.writeWhileLoading('room'));
  expect(loaded).toBe(301);

  await page.reload();
  const texts = await page.evaluate(() => window.localCopy.texts('room'));
  expect(texts).toHaveLength(302);
  expect(texts.filter((t) => t.startsWith('old '))).toEqual(Array.from({ length: 300 }, (_, i) => `old ${i}`));
  // Written into a doc that had not loaded history yet: concurrent with it, placed by client id.
  expect(texts).toContain('written while loading');
  expect(texts.at(-1)).toBe('written after loading');
});
