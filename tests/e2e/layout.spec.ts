import { expect, test, type Locator } from '@playwright/test';
import { createRoomWith, messageWith, openDm, send, signUp, username } from './helpers';

async function box(locator: Locator) {
  const found = await locator.boundingBox();
  expect(found).not.toBeNull();
  return found!;
}

/** Where `part` sits inside `whole` (the offline banner moves the whole list, not the part in it). */
async function placeIn(whole: Locator, part: Locator) {
  const [outer, inner] = [await box(whole), await box(part)];
  return { x: inner.x - outer.x, y: inner.y - outer.y, width: inner.width, height: inner.height };
}

test('a room opens with the keyboard in the composer, but not on a touch phone', async ({ browser }) => {
  const page = await signUp(browser, username('ana'));
  await createRoomWith(page, 'Focus room');
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
  await page.getByRole('link', { name: /Rooms/ }).click();
  await page.getByRole('link', { name: /Focus room/ }).click();
  await expect(page.getByRole('log')).toBeVisible();
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();
  await page.reload();
  await expect(page.getByLabel('Message', { exact: true })).toBeFocused();

  // A phone: focus would pop up the on-screen keyboard over the room.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, storageState: await page.context().storageState() });
  const onPhone = await phone.newPage();
  await onPhone.goto(page.url());
  await expect(onPhone.getByLabel('Message', { exact: true })).toBeEnabled();
  await expect(onPhone.getByLabel('Message', { exact: true })).not.toBeFocused();
  await phone.close();
  await page.context().close();
});

test('the message list is one Tab stop: arrows move between messages, Enter opens the actions, Tab goes on to the composer', async ({ browser }) => {
  const page = await signUp(browser, username('ana'));
  await createRoomWith(page, 'Keys');
  for (const text of ['one', 'two https://example.com/x', 'three']) await send(page, text);
  await expect(messageWith(page, 'three').getByRole('img', { name: 'Sent' })).toBeVisible();
  const composer = page.getByLabel('Message', { exact: true });
  await composer.focus();

  // Back from the composer: straight to the newest message, past no "More actions" button.
  await page.keyboard.press('Shift+Tab');
  await expect(messageWith(page, 'three')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(messageWith(page, 'two https://example.com/x')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(messageWith(page, 'one')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(messageWith(page, 'two https://example.com/x')).toBeFocused();
  await page.keyboard.press('End');
  await expect(messageWith(page, 'three')).toBeFocused();
  await page.keyboard.press('ArrowUp');

  // One step from the list to the composer, and back to the message last visited.
  await page.keyboard.press('Tab');
  await expect(composer).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  const two = messageWith(page, 'two https://example.com/x');
  await expect(two).toBeFocused();

  // Enter opens its actions; Tab then reaches its link; Escape returns to the message.
  await page.keyboard.press('Enter');
  await expect(two.getByRole('button', { name: 'Reply', exact: true })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(two.getByRole('button', { name: 'More actions' })).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(two.getByRole('link', { name: 'https://example.com/x' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(two).toBeFocused();
  await expect(two.getByRole('button', { name: 'Reply', exact: true })).toHaveCount(0);
  await page.keyboard.press('ContextMenu');
  await expect(two.getByRole('button', { name: 'Reply', exact: true })).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(composer).toBeFocused();
  await page.context().close();
});

test('a DM has no members panel, its notifications are one button away, and every delivery state sits in the same place', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  await openDm(ana, boName);

  await expect(ana.getByRole('button', { name: /Members/ })).toHaveCount(0);
  await expect(ana.getByRole('complementary', { name: 'Members' })).toHaveCount(0);
  const mute = ana.getByLabel('Mute this room');
  await expect(mute).toBeHidden();
  await ana.getByRole('button', { name: 'Notifications' }).click();
  await expect(mute).toBeVisible();
  // Each checkbox is a box at the start of its label's line, not stretched across the panel.
  for (const label of ['Mute this room', 'Still notify me when I’m mentioned']) {
    const checkbox = await box(ana.getByLabel(label));
    const row = await box(ana.locator('label').filter({ hasText: label }));
    expect(checkbox.width).toBeLessThanOrEqual(24);
    expect(checkbox.x - row.x).toBeLessThanOrEqual(2);
    expect(Math.abs(checkbox.y + checkbox.height / 2 - (row.y + row.height / 2))).toBeLessThanOrEqual(2);
  }
  await mute.check();
  await ana.keyboard.press('Escape');
  await expect(mute).toBeHidden();

  // Pending, Sent and Seen: one icon in one place at the end of the bubble.
  await ana.context().setOffline(true);
  await send(ana, 'Just us');
  const message = messageWith(ana, 'Just us');
  const pending = await placeIn(message, message.getByRole('img', { name: 'Pending' }));
  await ana.context().setOffline(false);
  await expect(message.getByRole('img', { name: 'Sent' })).toBeVisible();
  const sent = await placeIn(message, message.getByRole('img', { name: 'Sent' }));
  expect(sent).toEqual(pending);
  await bo.reload();
  await bo.getByRole('link', { name: new RegExp(anaName) }).click();
  await expect(bo.getByRole('log').getByText('Just us')).toBeVisible();
  await expect(message.getByRole('img', { name: `Seen by ${boName}` })).toBeVisible();
  const seen = await placeIn(message, message.getByRole('img', { name: `Seen by ${boName}` }));
  expect(seen).toEqual(sent);
  await ana.context().close();
  await bo.context().close();
});
