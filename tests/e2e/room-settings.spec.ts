import { expect, test } from '@playwright/test';
import { createRoomWith, signUp, username } from './helpers';

/** Room settings from the members panel: rename, description, roles, handing the room over. */

test('the owner renames the room and describes it; the other member sees both at once, in the list and the room', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Allotment', boName);
  await bo.goto(roomUrl);
  await expect(bo.getByRole('heading', { name: 'Allotment', level: 1 })).toBeVisible();
  // A member sees the settings but cannot change them.
  await expect(bo.getByRole('button', { name: 'Edit name and description' })).toHaveCount(0);

  await ana.getByRole('button', { name: 'Edit name and description' }).click();
  await expect(ana.getByLabel('Room name')).toBeFocused();
  await ana.getByLabel('Room name').fill('');
  await ana.getByRole('button', { name: 'Save' }).click();
  // The browser's own check stops an empty name; the form stays open.
  await expect(ana.getByLabel('Room name')).toBeVisible();
  await ana.getByLabel('Room name').fill('Plot 12');
  await ana.getByLabel('Description').fill('Tuesdays and Saturdays');
  await ana.getByRole('button', { name: 'Save' }).click();
  await expect(ana.getByRole('heading', { name: 'Plot 12', level: 1 })).toBeVisible();

  await expect(bo.getByRole('heading', { name: 'Plot 12', level: 1 })).toBeVisible({ timeout: 3000 });
  await expect(bo.getByText('Tuesdays and Saturdays').first()).toBeVisible();
  await expect(bo.getByRole('log').getByText(`${anaName} renamed the room to “Plot 12”`)).toBeVisible();
  await expect(bo.getByRole('log').getByText(`${anaName} changed the description to “Tuesdays and Saturdays”`)).toBeVisible();
  await bo.goto('/');
  await expect(bo.getByRole('link', { name: /Plot 12/ })).toBeVisible();
  await ana.context().close();
  await bo.context().close();
});

test('the owner makes a member an admin, then hands the room over and may leave', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Handover', boName);
  await bo.goto(roomUrl);
  await expect(bo.getByRole('button', { name: 'Edit name and description' })).toHaveCount(0);

  await ana.getByLabel(`Role of ${boName}`).selectOption('admin');
  // Bo's open room follows: as an admin he may now edit the room.
  await expect(bo.getByRole('button', { name: 'Edit name and description' })).toBeVisible({ timeout: 3000 });
  await expect(bo.getByRole('log').getByText(`${anaName} made you an admin`)).toBeVisible();

  // The owner cannot leave until she hands the room over; handing over asks first.
  await expect(ana.getByRole('button', { name: 'Leave room' })).toHaveCount(0);
  await ana.getByLabel(`Role of ${boName}`).selectOption('owner');
  const confirm = ana.getByRole('group', { name: `Hand the room over to ${boName}` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(ana.getByLabel(`Role of ${boName}`)).toHaveValue('admin');
  await ana.getByLabel(`Role of ${boName}`).selectOption('owner');
  await confirm.getByRole('button', { name: 'Hand over' }).click();
  await expect(ana.getByRole('button', { name: 'Leave room' })).toBeVisible();
  await expect(bo.getByRole('button', { name: 'Delete room' })).toBeVisible({ timeout: 3000 });
  await expect(bo.getByRole('log').getByText(`${anaName} made you the owner`)).toBeVisible();
  await ana.getByRole('button', { name: 'Leave room' }).click();
  await ana.getByRole('alertdialog', { name: 'Leave Handover?' }).getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(ana).toHaveURL(/\/$/);
  await expect(bo.getByRole('log').getByText(`${anaName} left`)).toBeVisible({ timeout: 3000 });
  await ana.context().close();
  await bo.context().close();
});
