import { expect, test, type Page } from '@playwright/test';
import { createRoomWith, signUp, username, waitForServiceWorker } from './helpers';

/**
 * Push notifications in real Chromium. No push service is reachable from the test, so
 * `pushManager.subscribe` is stubbed in the page (its endpoint is a documentation address
 * nobody answers), and pushes are delivered straight to the service worker over CDP.
 */

const FAKE_ENDPOINT = 'https://203.0.113.7/push/e2e-device';

/** Replaces the browser's push subscription with one the test controls. */
async function stubPushManager(page: Page): Promise<void> {
  await page.context().addInitScript((endpoint) => {
    const key = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
    const fake = {
      endpoint,
      expirationTime: null,
      options: { userVisibleOnly: true },
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh: key, auth: 'tBHItJI5svbpez7KI4CCXg' } }),
      unsubscribe: async () => {
        sessionStorage.removeItem('fake-push');
        return true;
      },
      getKey: () => null
    };
    PushManager.prototype.subscribe = async function () {
      sessionStorage.setItem('fake-push', '1');
      return fake as unknown as PushSubscription;
    };
    PushManager.prototype.getSubscription = async function () {
      return (sessionStorage.getItem('fake-push') ? fake : null) as unknown as PushSubscription | null;
    };
  }, FAKE_ENDPOINT);
}

/** Delivers pushes to the page's service worker, as a push service would (CDP). */
async function serviceWorkerPush(page: Page): Promise<{ send: (data: string) => Promise<void> }> {
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL.startsWith(origin) && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  // Playwright makes every page report focus; the real answer is needed (see below).
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  await cdp.send('ServiceWorker.enable');
  const id = await found;
  return {
    send: async (data) => {
      await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId: id, data });
    }
  };
}

/** Another (non-Porch) tab in front: Porch is open but not what the user looks at. */
async function lookAway(page: Page): Promise<void> {
  const other = await page.context().newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  // The worker stays quiet while a Porch window is visible and focused: wait until the page
  // itself no longer is, rather than hoping the switch is done when the next push arrives.
  await expect.poll(() => page.evaluate(() => document.visibilityState !== 'visible' || !document.hasFocus())).toBe(true);
}

/** Pushes the worker has handled so far, shown or not (loopback-only test hook). */
function pushesHandled(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    const channel = new MessageChannel();
    const answered = new Promise<number>((resolve) => (channel.port1.onmessage = (e: MessageEvent<number>) => resolve(e.data)));
    registration.active!.postMessage({ type: 'test-pushes-handled' }, [channel.port2]);
    return answered;
  });
}

function notifications(page: Page, tag?: string) {
  return page.evaluate(async (t) => {
    const registration = await navigator.serviceWorker.ready;
    const shown = await registration.getNotifications(t ? { tag: t } : undefined);
    return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, icon: n.icon }));
  }, tag);
}

test('settings turn notifications on and off for this device', async ({ browser }) => {
  const page = await signUp(browser, username('push'));
  await page.context().grantPermissions(['notifications']);
  await stubPushManager(page);
  await page.goto('/settings');
  await waitForServiceWorker(page);
  const status = page.getByRole('status');
  await expect(status).toHaveText('Notifications are off on this device.');

  await page.getByRole('button', { name: 'Turn on notifications' }).click();
  await expect(status).toHaveText('This device gets notifications.');
  await page.reload();
  await expect(status).toHaveText('This device gets notifications.');

  await page.getByRole('button', { name: 'Turn off notifications' }).click();
  await expect(status).toHaveText('Notifications are off on this device.');
  const check = await page.request.get(`/api/push/subscriptions?endpoint=${encodeURIComponent(FAKE_ENDPOINT)}`);
  expect(await check.json()).toEqual({ subscribed: false });
  await page.context().close();
});

test('a push shows a notification per room, counts collapsed ones, and a click opens the room', async ({ browser }) => {
  const page = await signUp(browser, username('push'));
  await page.context().grantPermissions(['notifications']);
  const roomUrl = await createRoomWith(page, 'Porch push');
  const roomId = new URL(roomUrl).pathname.split('/').pop()!;
  await page.goto('/');
  await waitForServiceWorker(page);
  const worker = await serviceWorkerPush(page);

  const payload = { roomId, roomName: 'Porch push', author: 'ana', preview: 'tomatoes are ripe' };
  // Porch focused: the worker shows nothing.
  await worker.send(JSON.stringify({ ...payload, messageId: 'm0' }));
  await expect.poll(() => pushesHandled(page)).toBe(1);
  expect(await notifications(page)).toEqual([]);

  await lookAway(page);
  // The worker may learn of the switch a moment after the page does; a push it still judged
  // "in front" showed nothing, so send the same message again until it shows (one message
  // id is counted once).
  await expect
    .poll(async () => {
      const before = await pushesHandled(page);
      await worker.send(JSON.stringify({ ...payload, messageId: 'm1' }));
      await expect.poll(() => pushesHandled(page)).toBe(before + 1);
      return notifications(page, roomId);
    })
    .toEqual([{ title: 'Porch push', body: 'ana: tomatoes are ripe', tag: roomId, icon: expect.stringContaining('/icons/icon-192.png') as unknown as string }]);

  await worker.send(JSON.stringify({ ...payload, messageId: 'm2', preview: 'and the beans' }));
  await worker.send(JSON.stringify({ ...payload, messageId: 'm3', preview: 'come by' }));
  await expect.poll(async () => (await notifications(page, roomId)).map((n) => n.body)).toEqual(['3 new messages']);

  // An unreadable push still shows something.
  await expect
    .poll(async () => {
      const before = await pushesHandled(page);
      await worker.send('not json');
      await expect.poll(() => pushesHandled(page)).toBe(before + 1);
      return (await notifications(page, 'porch')).map((n) => n.body);
    })
    .toEqual(['New message in Porch']);

  // Headless Chromium cannot click a system notification: the worker's loopback-only test hook does.
  await page.evaluate((tag) => navigator.serviceWorker.controller!.postMessage({ type: 'test-notificationclick', tag }), roomId);
  await expect(page).toHaveURL(new RegExp(`/rooms/${roomId}$`));
  await expect.poll(() => notifications(page, roomId)).toEqual([]);
  await page.context().close();
});

test('push subscriptions to private or loopback endpoints are refused (SSRF)', async ({ browser }) => {
  const page = await signUp(browser, username('push'));
  const keys = { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' };
  for (const endpoint of ['http://127.0.0.1:9/push', 'https://10.0.0.1/push', 'https://localhost/push', 'https://169.254.169.254/latest']) {
    const response = await page.request.post('/api/push/subscriptions', { data: { endpoint, keys } });
    expect(response.status(), endpoint).toBe(400);
  }
  const ok = await page.request.post('/api/push/subscriptions', { data: { endpoint: FAKE_ENDPOINT + '-api', keys } });
  expect(ok.status()).toBe(201);
  await page.context().close();
});

test('muting a room is kept on the server', async ({ browser }) => {
  const page = await signUp(browser, username('push'));
  await createRoomWith(page, 'Quiet room');
  const mute = page.getByLabel('Mute this room');
  // The members panel is a side column at the default desktop size.
  await expect(page.getByLabel('Still notify me when I’m mentioned')).toBeDisabled();
  await mute.check();
  await expect(page.getByLabel('Still notify me when I’m mentioned')).toBeEnabled();
  await page.reload();
  await expect(page.getByLabel('Mute this room')).toBeChecked();
  await page.context().close();
});
