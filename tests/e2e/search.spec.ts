import { expect, test } from '@playwright/test';
import { act, createRoomWith, messageWith, send, signUp, username, waitForServiceWorker } from './helpers';

test('search finds a message in another room as you type, offline too, and opens the room at it', async ({ browser }) => {
  test.setTimeout(120_000);
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const garden = await createRoomWith(ana, 'Garden', boName);
  await send(ana, 'Tomatoes are ripe');
  await ana.goto('/');
  const kitchen = await createRoomWith(ana, 'Kitchen', boName);

  // Bo writes in the kitchen: the message to find, then enough after it that the room
  // opens far below it (the list renders only what is near the screen).
  await bo.goto(kitchen);
  await send(bo, 'The Café downstairs opens at nine');
  for (let i = 1; i <= 60; i++) await send(bo, `Filler line ${i}`);
  await expect(bo.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 30_000 });
  await expect(messageWith(ana, 'Filler line 60')).toBeVisible({ timeout: 20_000 });

  await ana.goto(garden);
  await expect(messageWith(ana, 'Tomatoes are ripe')).toBeVisible();
  await waitForServiceWorker(ana);
  await ana.goto('/');
  const field = ana.getByRole('searchbox', { name: 'Search messages' });
  const results = ana.getByRole('list', { name: 'Messages found' });

  // Prefix as you type, accents and case folded; the room list gives way to the results.
  await field.pressSequentially('cafe');
  await expect(results.getByRole('link')).toHaveCount(1);
  const hit = results.getByRole('link').first();
  await expect(hit).toContainText('Kitchen');
  await expect(hit).toContainText(`${boName}:`);
  await expect(hit.locator('mark')).toHaveText('Café');
  await expect(ana.getByRole('status').filter({ hasText: '1 message' })).toBeVisible();
  await field.fill('cafe nowhere');
  await expect(ana.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible();
  await expect(results).toHaveCount(0);

  // Offline, after a reload: the index is built from this device's copies.
  await ana.context().setOffline(true);
  await ana.reload();
  await field.click();
  await field.pressSequentially('opens ni');
  await expect(results.getByRole('link')).toHaveCount(1);
  await expect(results.getByRole('link').first().locator('mark')).toHaveText(['opens', 'ni']);

  // Keyboard: down to the result, Enter opens the room scrolled to the message, focused.
  await field.press('ArrowDown');
  await expect(results.getByRole('link').first()).toBeFocused();
  await ana.keyboard.press('Enter');
  await expect(ana).toHaveURL(new RegExp(`${kitchen.replace(/^https?:\/\/[^/]+/, '')}\\?message=`));
  const found = messageWith(ana, 'The Café downstairs opens at nine');
  await expect(found).toBeInViewport();
  await expect(found).toBeFocused();
  await expect(messageWith(ana, 'Filler line 60')).not.toBeInViewport();

  // A click does the same, from the room list page again.
  await ana.goto('/');
  await field.fill('tomatoes');
  await results.getByRole('link', { name: /Garden/ }).click();
  await expect(messageWith(ana, 'Tomatoes are ripe')).toBeFocused();
});

test('search follows edits and deletions while the room list is open', async ({ browser }) => {
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const room = await createRoomWith(ana, 'Plans', boName);
  await bo.goto(room);
  await send(bo, 'Picnic on Saturday');
  await expect(messageWith(ana, 'Picnic on Saturday')).toBeVisible();
  await ana.goto('/');
  const field = ana.getByRole('searchbox', { name: 'Search messages' });
  const results = ana.getByRole('list', { name: 'Messages found' });
  await field.fill('saturday');
  await expect(results.getByRole('link')).toHaveCount(1);

  // Bo edits it elsewhere: the old words no longer find it, the new ones do.
  await act(bo, 'Picnic on Saturday', 'Edit');
  await bo.getByLabel('Message').fill('Picnic on Sunday');
  await bo.getByRole('button', { name: 'Save' }).click();
  await expect(ana.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible({ timeout: 15_000 });
  await field.fill('sunday');
  await expect(results.getByRole('link')).toHaveCount(1);

  await act(bo, 'Picnic on Sunday', 'Delete');
  await expect(ana.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible({ timeout: 15_000 });
});
