import { expect, test, type Page } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRoomWith, send, signUp, username, waitForServiceWorker } from './helpers';

test('offline: messages show as Pending, survive a reload with no network, and are sent when it returns', async ({ browser }) => {
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Train chat', boName);
  await bo.goto(roomUrl);

  await send(ana, 'Boarding now');
  await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);
  await waitForServiceWorker(ana);

  await ana.context().setOffline(true);
  await expect(ana.getByRole('status').filter({ hasText: /Offline/ })).toBeVisible();
  for (const text of ['Tunnel one', 'Tunnel two', 'Tunnel three']) await send(ana, text);
  const log = ana.getByRole('log');
  await expect(log.getByLabel('Pending')).toHaveCount(3);

  await ana.reload();
  await expect(log.getByText('Boarding now')).toBeVisible();
  for (const text of ['Tunnel one', 'Tunnel two', 'Tunnel three']) await expect(log.getByText(text)).toBeVisible();
  await expect(log.getByLabel('Pending')).toHaveCount(3);
  await expect(log.getByLabel('Sent')).toHaveCount(1);
  await expect(bo.getByRole('log').getByText('Tunnel one')).toHaveCount(0);

  await ana.context().setOffline(false);
  for (const text of ['Tunnel one', 'Tunnel two', 'Tunnel three']) await expect(bo.getByRole('log').getByText(text)).toBeVisible({ timeout: 20_000 });
  await expect(log.getByLabel('Sent')).toHaveCount(4, { timeout: 20_000 });
  await expect(log.getByLabel('Pending')).toHaveCount(0);
  // Order is the same on both sides.
  const order = async (page: Page) => (await page.getByRole('log').innerText()).replace(/\s+/g, ' ');
  const boText = await order(bo);
  expect(boText.indexOf('Tunnel one')).toBeLessThan(boText.indexOf('Tunnel three'));
});

test('offline: a message sent right before the tab closes is still there in a new tab', async ({ browser }) => {
  const ana = await signUp(browser, username('ana'));
  await ana.getByRole('button', { name: 'New room' }).click();
  await ana.getByLabel('Room name').fill('Notes');
  await ana.getByRole('button', { name: 'Create room' }).click();
  await expect(ana).toHaveURL(/\/rooms\/[\w-]+$/);
  const roomUrl = ana.url();
  await waitForServiceWorker(ana);
  const context = ana.context();
  await context.setOffline(true);
  await send(ana, 'Remember the milk');
  await ana.close();

  const again = await context.newPage();
  await again.goto(roomUrl);
  await expect(again.getByRole('log').getByText('Remember the milk')).toBeVisible();
  await expect(again.getByRole('log').getByLabel('Pending')).toHaveCount(1);
});

test('the app is installable: manifest and service worker pass Chromium’s check', async ({ playwright, baseURL }, testInfo) => {
  // Chromium never offers installation in an incognito profile: use a real one.
  const profile = await mkdtemp(join(tmpdir(), 'porch-profile-'));
  const launch = testInfo.project.use.launchOptions ?? {};
  const context = await playwright.chromium.launchPersistentContext(profile, { ...launch, baseURL });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors).toEqual([]);
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ name: 'Porch', short_name: 'Porch', start_url: '/', display: 'standalone' });
    expect(manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`)).toEqual(
      expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable'])
    );
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('a damaged local copy is rebuilt: the room opens, keeps what can be read and resyncs', async ({ browser }) => {
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Fragile', boName);
  await bo.goto(roomUrl);
  await send(bo, 'from the server');
  await expect(ana.getByRole('log').getByText('from the server')).toBeVisible();

  // Written offline, so only this device has it: it must survive the repair.
  await ana.context().setOffline(true);
  await send(ana, 'only on this device');
  await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(1);
  // Damage the copy: append a truncated update, as a crash mid-write could leave.
  await ana.evaluate(async () => {
    const name = (await indexedDB.databases()).map((d) => d.name).find((n) => n?.startsWith('porch:'));
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(name!);
      open.onsuccess = () => {
        const tx = open.result.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(new Uint8Array([1, 2, 200, 150, 7, 0, 119, 3, 105]));
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(new Error('could not write'));
      };
    });
  });
  await ana.context().setOffline(false);
  await ana.reload();

  await expect(ana.getByRole('status').filter({ hasText: 'was damaged' })).toBeVisible({ timeout: 15_000 });
  await expect(ana.getByRole('log').getByText('from the server')).toBeVisible();
  await expect(ana.getByRole('log').getByText('only on this device')).toBeVisible();
  await expect(bo.getByRole('log').getByText('only on this device')).toBeVisible({ timeout: 20_000 });
  await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 20_000 });
});
