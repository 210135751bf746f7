import { expect, test } from '@playwright/test';
import { createRoomWith, send, signUp, username } from '../e2e/helpers';

// Message search at phone and desktop widths, light and dark (docs/screenshots/search-*.png),
// and the room opened at a result. `npm run screenshots` refreshes them.

test('message search screenshots', async ({ browser }) => {
  test.setTimeout(120_000);
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const hike = await createRoomWith(ana, 'Saturday hike', boName);
  await send(ana, 'Who brings coffee for the ridge trail?');
  await ana.goto('/');
  const office = await createRoomWith(ana, 'Office', boName);
  await bo.goto(office);
  await send(bo, 'The café downstairs has the best coffee beans in town, we should order a bag for the office kitchen');
  await send(bo, 'Coffee machine is fixed');
  await bo.goto(hike);
  await send(bo, 'I will bring coffee ☕ and a thermos');
  await ana.goto('/');

  const field = ana.getByRole('searchbox', { name: 'Search messages' });
  await field.click();
  await field.pressSequentially('coffee');
  await expect(ana.getByRole('list', { name: 'Messages found' }).getByRole('link')).toHaveCount(4);
  for (const [width, height, scheme] of [
    [390, 844, 'light'],
    [390, 844, 'dark'],
    [1280, 800, 'light'],
    [1280, 800, 'dark']
  ] as const) {
    await ana.setViewportSize({ width, height });
    await ana.emulateMedia({ colorScheme: scheme });
    await ana.screenshot({ path: `docs/screenshots/search-${width}-${scheme}.png` });
  }
  await field.fill('nothing like this');
  await expect(ana.getByRole('status').filter({ hasText: 'No messages match' })).toBeVisible();
  await ana.screenshot({ path: 'docs/screenshots/search-none-1280-dark.png' });
  await field.fill('cafe beans');
  await ana.getByRole('list', { name: 'Messages found' }).getByRole('link').first().click();
  await expect(ana.getByRole('log').getByRole('article').first()).toBeVisible();
  await ana.screenshot({ path: 'docs/screenshots/search-jump-1280-dark.png' });
  await ana.setViewportSize({ width: 390, height: 844 });
  await ana.emulateMedia({ colorScheme: 'light' });
  await ana.reload();
  await ana.screenshot({ path: 'docs/screenshots/search-jump-390-light.png' });
});
