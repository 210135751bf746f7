import { expect, test, type Browser, type Page } from '@playwright/test';
import { act, createRoomWith, messageWith, send, signUp, username } from './helpers';

/** How long Undo is offered (PendingAction's default), and a little more. */
const UNDO_WINDOW_MS = 5000;
const PAST_UNDO_MS = UNDO_WINDOW_MS + 1000;

/** Ana's new room with Bo in it, open on both sides. */
async function twoInRoom(browser: Browser, roomName: string) {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, roomName, boName);
  await bo.goto(roomUrl);
  return { ana, bo, anaName, boName, roomUrl };
}

const toast = (page: Page) => page.getByRole('status').filter({ has: page.getByRole('button', { name: 'Undo' }) });

test('deleting a message hides it at once and offers Undo; only when it is over does the other person see it', async ({ browser }) => {
  const { ana, bo } = await twoInRoom(browser, 'Undo room');
  await send(ana, 'Keep me');
  await expect(messageWith(bo, 'Keep me')).toBeVisible();

  // Undone: back at once for Ana, and nothing ever reaches Bo.
  await act(ana, 'Keep me', 'Delete');
  await expect(toast(ana)).toContainText('Message deleted');
  await expect(ana.getByRole('log').getByText('Keep me')).toHaveCount(0);
  await expect(ana.getByRole('log').getByText('Message deleted')).toBeVisible();
  await toast(ana).getByRole('button', { name: 'Undo' }).click();
  await expect(messageWith(ana, 'Keep me')).toBeVisible();
  await expect(toast(ana)).toHaveCount(0);
  // Past the window, then a later message: had the delete been written, it would be there first.
  await ana.waitForTimeout(PAST_UNDO_MS);
  await send(ana, 'After the undo');
  await expect(messageWith(bo, 'After the undo')).toBeVisible();
  await expect(messageWith(bo, 'Keep me')).toBeVisible();
  await expect(bo.getByRole('log').getByText('Message deleted')).toHaveCount(0);

  // Not undone: the delete is written once the toast is gone, and Bo sees it.
  await act(ana, 'After the undo', 'Delete');
  await expect(toast(ana)).toBeVisible();
  await expect(messageWith(bo, 'After the undo')).toBeVisible();
  await expect(toast(ana)).toHaveCount(0, { timeout: PAST_UNDO_MS });
  await expect(bo.getByRole('log').getByText('Message deleted')).toBeVisible();
  await expect(bo.getByRole('log').getByText('After the undo')).toHaveCount(0);
  await expect(messageWith(bo, 'Keep me')).toBeVisible();
});

test('a delete waiting for Undo is written when the page goes away', async ({ browser }) => {
  const { ana, bo } = await twoInRoom(browser, 'Leaving page');
  await send(ana, 'Gone with the tab');
  await expect(messageWith(bo, 'Gone with the tab')).toBeVisible();
  await act(ana, 'Gone with the tab', 'Delete');
  await expect(toast(ana)).toBeVisible();
  await ana.goto('about:blank');
  await expect(bo.getByRole('log').getByText('Message deleted')).toBeVisible({ timeout: UNDO_WINDOW_MS - 1000 });
  await expect(bo.getByRole('log').getByText('Gone with the tab')).toHaveCount(0);
});

test('removing a member offers Undo; leaving asks first, and Escape or Cancel keeps you in', async ({ browser }) => {
  const { ana, bo, anaName, boName, roomUrl } = await twoInRoom(browser, 'Team');
  const anaMembers = ana.getByRole('region', { name: /Members/ });

  // Undone: Bo is back in the list and was never removed.
  await ana.getByRole('button', { name: `Remove ${boName}` }).click();
  await expect(anaMembers.getByText(boName)).toHaveCount(0);
  await expect(toast(ana)).toContainText(`Removed ${boName}`);
  await toast(ana).getByRole('button', { name: 'Undo' }).click();
  await expect(anaMembers.getByText(boName)).toBeVisible();
  await ana.waitForTimeout(PAST_UNDO_MS);
  await send(bo, 'Still here');
  await expect(messageWith(ana, 'Still here')).toBeVisible();
  await expect(bo.getByText('You are no longer a member of this room')).toHaveCount(0);

  // Leaving asks; Escape and Cancel keep Bo in the room.
  const leave = bo.getByRole('button', { name: 'Leave room' });
  const dialog = bo.getByRole('alertdialog', { name: 'Leave Team?' });
  await leave.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await bo.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await leave.click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(bo).toHaveURL(roomUrl);
  await send(bo, 'Not leaving yet');
  await expect(messageWith(ana, 'Not leaving yet')).toBeVisible();
  await expect(anaMembers.getByText(boName)).toBeVisible();

  // Confirmed: Bo is out, on the room list, without the room.
  await leave.click();
  await dialog.getByRole('button', { name: 'Leave', exact: true }).click();
  await expect(bo).toHaveURL(/\/$/);
  await expect(bo.getByRole('link', { name: /Team/ })).toHaveCount(0);
  // (Ana's member list is loaded with the page.)
  await ana.reload();
  await expect(anaMembers.getByText(anaName)).toBeVisible();
  await expect(anaMembers.getByText(boName)).toHaveCount(0);
});

test('a removal not undone reaches the server once Undo is over', async ({ browser }) => {
  const { ana, bo, boName } = await twoInRoom(browser, 'Crew');
  await expect(bo.getByLabel('Message')).toBeEnabled();
  await ana.getByRole('button', { name: `Remove ${boName}` }).click();
  await expect(toast(ana)).toBeVisible();
  await expect(bo.getByLabel('Message')).toBeEnabled();
  await expect(bo.getByText('You are no longer a member of this room')).toBeVisible({ timeout: PAST_UNDO_MS + 5000 });
  await expect(bo.getByLabel('Message')).toBeDisabled();
});

test('Copy text puts the message on the clipboard', async ({ browser }) => {
  const ana = await signUp(browser, username('ana'));
  await ana.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await createRoomWith(ana, 'Clipboard');
  await send(ana, 'Copy *this*, please');
  await act(ana, 'Copy *this*, please', 'Copy text');
  await expect(ana.getByRole('status').filter({ hasText: 'Text copied' })).toBeVisible();
  expect(await ana.evaluate(() => navigator.clipboard.readText())).toBe('Copy *this*, please');
});

test('Forward sends the message to another of my rooms as mine, marked Forwarded', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const targetUrl = await createRoomWith(ana, 'Target room', boName);
  await ana.getByRole('link', { name: /Rooms/ }).click();
  await createRoomWith(ana, 'Source room');
  await send(ana, 'Worth passing on');

  await act(ana, 'Worth passing on', 'Forward');
  const dialog = ana.getByRole('dialog', { name: 'Forward message' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Source room' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Target room' }).click();
  await expect(ana).toHaveURL(targetUrl);
  const forwarded = messageWith(ana, 'Worth passing on');
  await expect(forwarded.getByText('Forwarded')).toBeVisible();
  await expect(forwarded.getByLabel('Sent')).toBeVisible();

  await bo.goto(targetUrl);
  const seen = messageWith(bo, 'Worth passing on');
  await expect(seen).toHaveAccessibleName(new RegExp(`^${anaName},`));
  await expect(seen.getByText('Forwarded')).toBeVisible();

  // Cancel forwards nothing.
  await act(bo, 'Worth passing on', 'Forward');
  await bo.getByRole('dialog', { name: 'Forward message' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(bo.getByRole('dialog', { name: 'Forward message' })).toHaveCount(0);
  await expect(bo.getByRole('log').getByText('Worth passing on')).toHaveCount(1);
});

test('Arrow-Up in the empty composer edits my last message; Escape cancels', async ({ browser }) => {
  const ana = await signUp(browser, username('ana'));
  await createRoomWith(ana, 'Edits');
  await send(ana, 'First one');
  await send(ana, 'Secnod one');
  const composer = ana.getByLabel('Message');
  await composer.focus();
  await composer.press('ArrowUp');
  await expect(ana.getByText('Editing message')).toBeVisible();
  await expect(composer).toHaveValue('Secnod one');
  await composer.press('Escape');
  await expect(ana.getByText('Editing message')).toHaveCount(0);
  await expect(composer).toHaveValue('');

  await composer.press('ArrowUp');
  await composer.fill('Second one');
  await composer.press('Enter');
  await expect(messageWith(ana, 'Second one').getByText('edited')).toBeVisible();

  // A deleted message is skipped: the one before it is edited.
  await act(ana, 'Second one', 'Delete');
  await composer.focus();
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('First one');
  // Not empty: Arrow-Up moves in the text, no edit starts over it.
  await composer.press('Escape');
  await composer.fill('typed');
  await composer.press('ArrowUp');
  await expect(composer).toHaveValue('typed');
  await expect(ana.getByText('Editing message')).toHaveCount(0);
});

test("consecutive messages of one author show the name once; each message's name still says who wrote it", async ({ browser }) => {
  const { ana, bo, anaName, boName } = await twoInRoom(browser, 'Grouping');
  for (const text of ['one', 'two', 'three']) await send(ana, text);
  await expect(messageWith(bo, 'three')).toBeVisible();
  const boLog = bo.getByRole('log');
  await expect(boLog.getByText(anaName, { exact: true })).toHaveCount(1);
  await expect(boLog.getByRole('article', { name: new RegExp(`^${anaName},`) })).toHaveCount(3);
  await expect(ana.getByRole('log').getByText(anaName, { exact: true })).toHaveCount(1);

  await send(bo, 'my turn');
  await send(ana, 'four');
  await expect(messageWith(bo, 'four')).toBeVisible();
  await expect(boLog.getByText(anaName, { exact: true })).toHaveCount(2);
  await expect(boLog.getByText(boName, { exact: true })).toHaveCount(1);
  await expect(boLog.getByRole('article', { name: new RegExp(`^${anaName},`) })).toHaveCount(4);
});
