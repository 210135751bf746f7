import { expect, test } from '@playwright/test';
import { signUp, username } from './helpers';

test('two people sign up, share a room and chat live; history survives a reload', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);

  await ana.getByRole('button', { name: 'New room' }).click();
  await ana.getByLabel('Room name').fill('Weekend plans');
  await ana.getByRole('button', { name: 'Create room' }).click();
  await expect(ana).toHaveURL(/\/rooms\/[\w-]+$/);
  const roomUrl = ana.url();

  await ana.getByLabel('Add member').fill(boName);
  await ana.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(ana.getByText(boName).first()).toBeVisible();

  // Bo sees the room in his list and opens it.
  await bo.reload();
  await bo.getByRole('link', { name: /Weekend plans/ }).click();
  await expect(bo).toHaveURL(roomUrl);

  await ana.getByLabel('Message').fill('Hike on Saturday?');
  await ana.getByRole('button', { name: 'Send' }).click();
  await expect(bo.getByRole('log').getByText('Hike on Saturday?')).toBeVisible();
  await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1);

  await bo.getByLabel('Message').fill('Yes! 9am?');
  await bo.getByLabel('Message').press('Enter');
  await expect(ana.getByRole('log').getByText('Yes! 9am?')).toBeVisible();

  // Same order, with authors, on both sides.
  const texts = async (page: typeof ana) => (await page.getByRole('log').innerText()).replace(/\s+/g, ' ');
  for (const page of [ana, bo]) {
    const t = await texts(page);
    expect(t.indexOf('Hike on Saturday?')).toBeLessThan(t.indexOf('Yes! 9am?'));
    expect(t).toContain(anaName);
    expect(t).toContain(boName);
  }

  await bo.reload();
  await expect(bo.getByRole('log').getByText('Hike on Saturday?')).toBeVisible();
  await expect(bo.getByRole('log').getByText('Yes! 9am?')).toBeVisible();
});

test('sign out ends the session, returns to sign-in and removes this user’s data from the device', async ({ browser }) => {
  const page = await signUp(browser, username('cy'));
  await page.getByRole('button', { name: 'New room' }).click();
  await page.getByLabel('Room name').fill('Private notes');
  await page.getByRole('button', { name: 'Create room' }).click();
  await page.getByLabel('Message', { exact: true }).fill('my secret plan');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log').getByLabel('Sent')).toHaveCount(1);
  const stored = () =>
    page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('porch:')),
      keys: Object.keys(localStorage).filter((k) => k.startsWith('porch:'))
    }));
  expect((await stored()).databases).toHaveLength(1);

  await page.getByRole('link', { name: /Rooms/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await stored()).toEqual({ databases: [], keys: [] });
  const me = await page.request.get('/api/me');
  expect(me.status()).toBe(401);
});

test('a wrong password shows a clear error and signs nobody in', async ({ browser }) => {
  const name = username('dee');
  const first = await signUp(browser, name);
  await first.context().close();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill('wrong password here');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong username or password');
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'New room' })).toBeVisible();
});
