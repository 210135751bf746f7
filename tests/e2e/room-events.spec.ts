import { expect, test } from '@playwright/test';
import { createRoomWith, send, signUp, username } from './helpers';

/** Membership changes read as lines in the conversation, in order, offline too (SPEC 7.9). */

test('who created the room, who added whom and who left read as lines in the conversation, in order', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Seed swap', boName);
  const log = ana.getByRole('log');
  await expect(log.getByText('You created the room “Seed swap”')).toBeVisible();
  await expect(log.getByText(`You added ${boName}`)).toBeVisible();

  await send(ana, 'Bring your tomato seeds');
  await bo.goto(roomUrl);
  await expect(bo.getByRole('log').getByText(`${anaName} added you`)).toBeVisible();
  await expect(bo.getByRole('log').getByText('Bring your tomato seeds')).toBeVisible();
  await bo.getByRole('button', { name: 'Leave room' }).click();
  await bo.getByRole('alertdialog', { name: 'Leave Seed swap?' }).getByRole('button', { name: 'Leave', exact: true }).click();

  // Ana's open room shows it at once, after her message.
  await expect(log.getByText(`${boName} left`)).toBeVisible({ timeout: 3000 });
  const order = await log.locator('p.event, article').allInnerTexts();
  const at = (text: string) => order.findIndex((t) => t.includes(text));
  expect(at('You created the room')).toBeLessThan(at(`You added ${boName}`));
  expect(at(`You added ${boName}`)).toBeLessThan(at('Bring your tomato seeds'));
  expect(at('Bring your tomato seeds')).toBeLessThan(at(`${boName} left`));

  // Kept on the device: offline, the lines are still there.
  await ana.context().setOffline(true);
  await ana.reload();
  await expect(ana.getByRole('log').getByText(`${boName} left`)).toBeVisible();
  await expect(ana.getByRole('log').getByText(`You added ${boName}`)).toBeVisible();
  await ana.context().close();
  await bo.context().close();
});
