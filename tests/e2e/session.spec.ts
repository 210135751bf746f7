import { expect, test } from '@playwright/test';
import { createRoomWith, send, signUp, username } from './helpers';

test('a session that ended while offline: the room stays readable, asks for the password in place, then sends what waited', async ({ browser }) => {
  const boName = username('bo');
  const anaName = username('ana');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Expiring', boName);
  await bo.goto(roomUrl);
  await send(ana, 'still signed in');
  await expect(bo.getByRole('log').getByText('still signed in')).toBeVisible();

  await ana.context().setOffline(true);
  await send(ana, 'written while away');
  // Meanwhile the session ends on the server (as an expiry or a sign-out elsewhere would);
  // the context's request client shares its cookies but not its offline switch.
  expect((await ana.context().request.post('/api/auth/logout')).status()).toBe(204);
  await ana.context().setOffline(false);

  await expect(ana.getByText('Your session has ended.')).toBeVisible({ timeout: 20_000 });
  await expect(ana.getByRole('log').getByText('still signed in')).toBeVisible();
  await expect(ana.getByRole('log').getByText('written while away')).toBeVisible();
  await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(1);
  await expect(bo.getByRole('log').getByText('written while away')).toHaveCount(0);

  await ana.getByLabel('Password').fill('correct horse battery');
  await ana.getByRole('button', { name: 'Sign in' }).click();
  await expect(bo.getByRole('log').getByText('written while away')).toBeVisible({ timeout: 20_000 });
  await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 20_000 });
  await expect(ana.getByText('Your session has ended.')).toHaveCount(0);
});
