import { expect, test } from '@playwright/test';

/** Issue 13, "No blank page": what shows before (or without) the app's JavaScript. */

test('the signed-out sign-in page logs no error to the console', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  // The service worker installs and a reload runs the page under it: no error either way.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);
  // The shell's own "Porch" went away once the app rendered: the form's heading is the one left.
  await expect(page.getByRole('paragraph').filter({ hasText: /^Porch$/ })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Porch' })).toBeVisible();
  await context.close();
});

test('with JavaScript off the page is not blank: the app name and a note that Porch needs JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByText('Porch', { exact: true })).toBeVisible();
  // Playwright's text and role engines skip <noscript>: find it by tag, check what shows.
  const note = page.locator('noscript p');
  await expect(note).toBeVisible();
  await expect(note).toHaveText(/^Porch needs JavaScript\./);
  await context.close();
});
