import { expect, test, type Page } from '@playwright/test';
import { createRoomWith, send, signUp, username } from './helpers';

/** Counts the page's WebSocket connections to one room's sync URL, and how many are open now. */
function watchRoomSockets(page: Page, roomId: string): { opened: () => number; open: () => number } {
  let opened = 0;
  let open = 0;
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith(`/sync/${roomId}`)) return;
    opened++;
    open++;
    ws.on('close', () => open--);
  });
  return { opened: () => opened, open: () => open };
}

test('an open room and the room list share one socket, and the list shows what the room shows', async ({ browser }) => {
  const anaName = username('ana');
  const boName = username('bo');
  const ana = await signUp(browser, anaName);
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'One socket', boName);
  const roomId = new URL(roomUrl).pathname.split('/').pop()!;
  await send(ana, 'first word');

  // Bo's tab: the room list keeps the room live, then Bo opens it (wide enough that the
  // room page shows the list beside the room).
  await bo.setViewportSize({ width: 1280, height: 800 });
  const sockets = watchRoomSockets(bo, roomId);
  await bo.reload();
  const row = bo.getByRole('link', { name: /One socket/ });
  await expect(row.getByLabel('1 unread')).toBeVisible();
  await expect.poll(sockets.open).toBe(1);

  await row.click();
  await expect(bo.getByRole('log').getByText('first word')).toBeVisible();
  await expect(bo.getByText('2 online')).toBeVisible();
  // The open room rides on the list's connection: no second socket, not even for a moment.
  await send(bo, 'answer');
  await expect(bo.getByRole('log').getByLabel('Sent')).toHaveCount(1);
  await expect(ana.getByRole('log').getByText('answer')).toBeVisible();
  expect(sockets.open()).toBe(1);
  expect(sockets.opened()).toBe(1);

  // What arrives in the open room is in the list beside it at once: preview, and no unread.
  await send(ana, 'while you read');
  await expect(bo.getByRole('log').getByText('while you read')).toBeVisible();
  await expect(row).toContainText('while you read');
  await expect(bo.getByLabel(/unread$/)).toHaveCount(0);

  // Back on the list, the room is still live on that same socket, and counts what comes next.
  await bo.getByRole('link', { name: /Rooms/ }).click();
  await send(ana, 'one more');
  await expect(row.getByLabel('1 unread')).toBeVisible();
  await expect(row).toContainText('one more');
  expect(sockets.open()).toBe(1);
  expect(sockets.opened()).toBe(1);
});
