import { expect, test, type Page } from '@playwright/test';
import { createRoomWith, send, signUp, username } from './helpers';

/**
 * Counts the page's WebSocket connections to one room's sync URL, how many are open now, and
 * the frames the page sent on them.
 */
function watchRoomSockets(page: Page, roomId: string): { opened: () => number; open: () => number; sent: () => number } {
  let opened = 0;
  let open = 0;
  let sent = 0;
  page.on('websocket', (ws) => {
    if (!new URL(ws.url()).pathname.endsWith(`/sync/${roomId}`)) return;
    opened++;
    open++;
    ws.on('framesent', () => sent++);
    ws.on('close', () => open--);
  });
  return { opened: () => opened, open: () => open, sent: () => sent };
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

  // A burst into the open room: the page takes it in without making the room again (which
  // would re-announce its presence per message until the server says "slow down").
  const before = sockets.sent();
  for (let i = 1; i <= 12; i++) await send(ana, `burst ${i}`);
  await expect(bo.getByRole('log').getByText('burst 12')).toBeVisible();
  await bo.waitForTimeout(1500);
  // Each message costs Bo's page a read marker and the echo of Ana's typing flags (y-websocket
  // sends on the awareness it hears): about 3 frames; making the room again costs far more.
  expect(sockets.sent() - before).toBeLessThan(12 * 5);
  expect(sockets.opened()).toBe(1);

  // Back on the list, the room is still live on that same socket, and counts what comes next.
  await bo.getByRole('link', { name: /Rooms/ }).click();
  await send(ana, 'one more');
  await expect(row.getByLabel('1 unread')).toBeVisible();
  await expect(row).toContainText('one more');
  expect(sockets.open()).toBe(1);
  expect(sockets.opened()).toBe(1);
});
