import { expect, type Browser, type Page } from '@playwright/test';

/** A unique, valid username for this run. */
export function username(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`;
}

/** Opens a fresh browser context and signs up through the real form. */
export async function signUp(browser: Browser, name: string, password = 'correct horse battery'): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: 'New room' })).toBeVisible();
  return page;
}
