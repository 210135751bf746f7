import { expect, test, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { createRoomWith, send, signUp, username } from './helpers';
import { privateServer } from './private-server';

const count = async (page: Page, text: string) => page.getByRole('log').getByText(text, { exact: true }).count();

test('the server is killed and restarted mid-chat: both recover, nothing lost, nothing doubled', async ({ browser }) => {
  const server = await privateServer(Number(process.env.E2E_PORT ?? 4173) + 8);
  try {
    const boName = username('bo');
    const ana = await signUp(browser, username('ana'), { baseURL: server.url });
    const bo = await signUp(browser, boName, { baseURL: server.url });
    const roomUrl = await createRoomWith(ana, 'Crash test', boName);
    await bo.goto(roomUrl);
    await send(ana, 'before the crash');
    await expect(bo.getByRole('log').getByText('before the crash')).toBeVisible();

    await server.kill('SIGKILL');
    await expect(ana.getByRole('status').filter({ hasText: 'Reconnecting' })).toBeVisible();
    await send(ana, 'ana while down');
    await send(bo, 'bo while down');
    await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(1);

    await server.start();
    for (const page of [ana, bo]) {
      for (const text of ['before the crash', 'ana while down', 'bo while down']) {
        await expect(page.getByRole('log').getByText(text, { exact: true })).toHaveCount(1, { timeout: 40_000 });
      }
      await expect(page.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 20_000 });
    }
    await send(bo, 'after the restart');
    await expect(ana.getByRole('log').getByText('after the restart')).toBeVisible();
    expect(await count(ana, 'ana while down')).toBe(1);
  } finally {
    await server.kill();
  }
});

test('two tabs of one user stay in step, also offline', async ({ browser }) => {
  const tab1 = await signUp(browser, username('tabs'));
  const roomUrl = await createRoomWith(tab1, 'Two tabs');
  const tab2 = await tab1.context().newPage();
  await tab2.goto(roomUrl);
  await send(tab1, 'from tab one');
  await expect(tab2.getByRole('log').getByText('from tab one')).toBeVisible();

  await tab1.context().setOffline(true);
  await send(tab2, 'offline from tab two');
  await expect(tab1.getByRole('log').getByText('offline from tab two')).toBeVisible();
  await tab1.context().setOffline(false);
  await expect(tab1.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 20_000 });
  await expect(tab2.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 20_000 });
});

test('on a slow network (800 ms, 50 kB/s) a message shows at once and still arrives', async ({ browser }) => {
  const boName = username('bo');
  const ana = await signUp(browser, username('ana'));
  const bo = await signUp(browser, boName);
  const roomUrl = await createRoomWith(ana, 'Slow lane', boName);
  await bo.goto(roomUrl);
  await expect(ana.getByRole('log')).toBeVisible();

  const cdp = await ana.context().newCDPSession(ana);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 800, downloadThroughput: 50_000, uploadThroughput: 50_000 });
  const started = Date.now();
  await send(ana, 'sent over a bad line');
  await expect(ana.getByRole('log').getByText('sent over a bad line')).toBeVisible();
  // The UI answers right away, long before the network could.
  expect(Date.now() - started).toBeLessThan(800);
  await expect(ana.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  await expect(bo.getByRole('log').getByText('sent over a bad line')).toBeVisible({ timeout: 20_000 });
  await expect(ana.getByRole('log').getByLabel('Sent')).toHaveCount(1, { timeout: 20_000 });
});

test('too many connections for one user: the banner says so, and the room comes back by itself once some close', async ({ browser }) => {
  const server = await privateServer(Number(process.env.E2E_PORT ?? 4173) + 10, { MAX_CONNECTIONS_PER_USER: '2' });
  const others: WebSocket[] = [];
  try {
    const ana = await signUp(browser, username('busy'), { baseURL: server.url });
    const roomUrl = await createRoomWith(ana, 'Busy device');
    await send(ana, 'before the crowd');
    const cookie = (await ana.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const roomId = new URL(roomUrl, server.url).pathname.split('/').pop()!;
    await ana.goto('about:blank');
    // Other devices of Ana's take every connection she is allowed (once the page's own
    // sockets, closing as it left, are gone: until then the server refuses them with 4429).
    const deadline = Date.now() + 15_000;
    while (others.length < 2) {
      const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${roomId}`, { headers: { cookie, origin: server.url } });
      // Counted once authenticated, which its first message from the room shows (open is too early).
      const accepted = await new Promise<boolean>((resolve) => ws.once('message', () => resolve(true)).once('close', () => resolve(false)).once('error', () => resolve(false)));
      if (accepted) others.push(ws);
      else if (Date.now() > deadline) throw new Error('could not open the other connections');
      else await new Promise((r) => setTimeout(r, 200));
    }
    await ana.goto(roomUrl);
    // Refused twice in a row (4429): it keeps trying, more slowly, and says why.
    await expect(ana.getByRole('status').filter({ hasText: 'The server is busy with this device' })).toBeVisible({ timeout: 20_000 });
    await expect(ana.getByRole('log').getByText('before the crowd')).toBeVisible();
    for (const ws of others) ws.close();
    await expect(ana.getByRole('status').filter({ hasText: 'The server is busy with this device' })).toHaveCount(0, { timeout: 30_000 });
    await send(ana, 'after the crowd');
    await expect(ana.getByRole('log').getByLabel('Pending')).toHaveCount(0, { timeout: 10_000 });
  } finally {
    for (const ws of others) ws.terminate();
    await server.kill();
  }
});
