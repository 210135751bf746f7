import { expect, test } from '@playwright/test';
import { createRoomWith, send, signUp, username } from './helpers';

/**
 * The room list follows what happens to one's rooms without a reload (SPEC 22): a room one
 * is added to, a DM someone opens, a removal and a deletion show within a second, and the
 * list opens with no network from what it last showed.
 */

test('a room I am added to, a DM to me, a removal and a deletion show in my open room list at once', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  // Bo's list is open and never reloaded in this test.
  await expect(bo.getByText('No rooms yet')).toBeVisible();

  await createRoomWith(ana, 'Allotment', boName);
  const row = bo.getByRole('link', { name: /Allotment/ });
  await expect(row).toBeVisible({ timeout: 2000 });
  // Its messages count as unread as they come, like any room's.
  await send(ana, 'The beans are up');
  await expect(row.getByLabel('1 unread')).toBeVisible();

  await ana.getByRole('link', { name: /Rooms/ }).click();
  await ana.getByRole('button', { name: 'New direct message' }).click();
  await ana.getByLabel('Person').fill(boName);
  await ana.getByRole('button', { name: `Message ${boName}` }).click();
  await expect(bo.getByRole('link', { name: new RegExp(`^${anaName}`) })).toBeVisible({ timeout: 2000 });

  // Removed from Allotment: it leaves the list.
  await ana.goto('/');
  await ana.getByRole('link', { name: /Allotment/ }).click();
  await ana.getByRole('button', { name: `Remove ${boName}` }).click();
  // The removal waits 5 s for Undo before the server hears of it, then shows within a second.
  await expect(row).toHaveCount(0, { timeout: 7000 });

  // Offline, the list opens as it last was: the DM, not the room Bo was removed from.
  await bo.context().setOffline(true);
  await bo.reload();
  await expect(bo.getByRole('link', { name: new RegExp(`^${anaName}`) })).toBeVisible();
  await expect(bo.getByRole('link', { name: /Allotment/ })).toHaveCount(0);
  await bo.context().setOffline(false);

  // Back online, Ana deletes the room she still owns; her other tab's list follows too.
  const anaOtherTab = await ana.context().newPage();
  await anaOtherTab.goto('/');
  await expect(anaOtherTab.getByRole('link', { name: /Allotment/ })).toBeVisible();
  await ana.getByRole('button', { name: 'Delete room' }).click();
  await ana.getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(anaOtherTab.getByRole('link', { name: /Allotment/ })).toHaveCount(0, { timeout: 2000 });
  await ana.context().close();
  await bo.context().close();
});

test('someone who left keeps their name on their messages and receipts; the members panel follows at once', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Pottery', boName);
  await bo.goto(roomUrl);
  await send(ana, 'Kiln at six');
  await expect(bo.getByRole('log').getByText('Kiln at six')).toBeVisible();
  await send(bo, 'I will bring clay');
  await expect(ana.getByRole('log').getByText('I will bring clay')).toBeVisible();
  await expect(ana.getByRole('log').getByText(`Seen by ${boName}`)).toBeVisible();

  // Ana's page stays open: Bo's leaving reaches it without a reload.
  await bo.getByRole('button', { name: 'Leave room' }).click();
  await bo.getByRole('alertdialog', { name: 'Leave Pottery?' }).getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(ana.getByRole('button', { name: `Remove ${boName}` })).toHaveCount(0, { timeout: 3000 });
  const boMessage = ana.getByRole('log').getByRole('article').filter({ hasText: 'I will bring clay' });
  await expect(boMessage).toContainText(boName);
  await expect(ana.getByRole('log')).not.toContainText('Unknown');
  await expect(ana.getByRole('log').getByText(`Seen by ${boName}`)).toBeVisible();

  // After a reload too, and offline from this device's copy.
  await ana.reload();
  await expect(ana.getByRole('log').getByRole('article').filter({ hasText: 'I will bring clay' })).toContainText(boName);
  await ana.context().setOffline(true);
  await ana.reload();
  await expect(ana.getByRole('log').getByRole('article').filter({ hasText: 'I will bring clay' })).toContainText(boName);
  await ana.context().close();
  await bo.context().close();
});
