import { expect, type Browser, type Page } from '@playwright/test';

/** A unique, valid username for this run. */
export function username(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
}

/** Opens a fresh browser context and signs up through the real form. */
export async function signUp(browser: Browser, name: string, options: { password?: string; baseURL?: string } = {}): Promise<Page> {
  const password = options.password ?? 'correct horse battery';
  const context = await browser.newContext(options.baseURL ? { baseURL: options.baseURL } : {});
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'New room' })).toBeVisible();
  return page;
}

/** Creates a room from the room list and adds `member`; returns the room's URL. */
export async function createRoomWith(owner: Page, name: string, member?: string): Promise<string> {
  await owner.getByRole('button', { name: 'New room' }).click();
  await owner.getByLabel('Room name').fill(name);
  await owner.getByRole('button', { name: 'Create room' }).click();
  await expect(owner).toHaveURL(/\/rooms\/[\w-]+$/);
  if (member) {
    await owner.getByLabel('Add member').fill(member);
    await owner.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(owner.getByText(member).first()).toBeVisible();
  }
  return owner.url();
}

/** Types a message in the composer and presses Send. */
export async function send(page: Page, text: string): Promise<void> {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/** The service worker controls the page (first visit: after clients.claim()). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  // An active worker first (install can be slow on a loaded machine), then control: a page
  // that navigated while the worker was still installing is controlled from its next load.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 15_000 });
}

/** The message whose own text (not a quote of it) is `text`. */
export function messageWith(page: Page, text: string) {
  const exact = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return page.getByRole('log').getByRole('article').filter({ has: page.getByRole('paragraph').filter({ hasText: exact }) });
}

/** Opens a message's action menu and picks an action. */
export async function act(page: Page, text: string, action: 'Reply' | 'React' | 'Copy text' | 'Forward' | 'Edit' | 'Delete'): Promise<void> {
  const message = messageWith(page, text);
  await message.hover();
  await message.getByRole('button', { name: 'More actions' }).click();
  await message.getByRole('button', { name: action, exact: true }).click();
}

/** Opens (or starts) the DM with `other` from the room list. */
export async function openDm(page: Page, other: string): Promise<void> {
  await page.getByRole('button', { name: 'New direct message' }).click();
  await page.getByLabel('Person').fill(other.slice(0, 6));
  await page.getByRole('button', { name: `Message ${other}` }).click();
  await expect(page.getByRole('heading', { name: other })).toBeVisible();
}
