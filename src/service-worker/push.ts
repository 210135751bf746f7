/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { countedIds, fallbackNotification, noticeNotification, parseNotice, targetPath, type OpenMessage } from '../lib/push/notification-content';

/**
 * The service worker's push side: show a notification per push (collapsed per room),
 * route a click to the room, renew the subscription when the browser rotates it.
 * Installed by src/service-worker.ts; type-checked with it (tsconfig.sw.json), not by svelte-check.
 */

/** Not in TypeScript's WebWorker lib yet. */
interface PushSubscriptionChangeEvent extends ExtendableEvent {
  readonly oldSubscription: PushSubscription | null;
  readonly newSubscription: PushSubscription | null;
}

function readPayload(data: PushMessageData | null): unknown {
  try {
    return data?.json() as unknown;
  } catch {
    return null;
  }
}

/**
 * A Porch window in front of the user: the server pushes to anyone not active *in that
 * room* (it cannot tell the room list is on screen), so the worker makes the final call.
 * Browsers let a push go without a notification while the site is visible.
 */
async function porchInFront(self: ServiceWorkerGlobalScope): Promise<boolean> {
  const windows = await self.clients.matchAll({ type: 'window' });
  return windows.some((w) => w.visibilityState === 'visible' && w.focused);
}

async function showPush(self: ServiceWorkerGlobalScope, data: PushMessageData | null): Promise<void> {
  if (await porchInFront(self)) return;
  const notice = parseNotice(readPayload(data));
  // userVisibleOnly: every push must show something, even one we cannot read.
  if (!notice) {
    const { title, options } = fallbackNotification();
    return self.registration.showNotification(title, options);
  }
  const existing = await self.registration.getNotifications({ tag: notice.roomId });
  const ids = existing.flatMap((n) => countedIds(n.data));
  const { title, options } = noticeNotification(notice, ids);
  return self.registration.showNotification(title, options);
}

/** Focuses a Porch window (one already on the room first) and routes it; else opens one. */
async function openFromNotification(self: ServiceWorkerGlobalScope, notification: Notification): Promise<void> {
  notification.close();
  const path = targetPath(notification.data);
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const onRoom = windows.find((w) => new URL(w.url).pathname === path);
  const target = onRoom ?? windows.find((w) => w.focused) ?? windows[0];
  if (!target) {
    await self.clients.openWindow(path);
    return;
  }
  let client: WindowClient = target;
  try {
    client = await target.focus();
  } catch {
    // focus() is allowed only while handling a real click (not from the test hook); the
    // window is still routed below.
  }
  // The page routes itself (no reload of the app shell, no lost draft).
  if (!onRoom) client.postMessage({ type: 'porch:open', path } satisfies OpenMessage);
}

async function renewSubscription(self: ServiceWorkerGlobalScope, event: PushSubscriptionChangeEvent): Promise<void> {
  const response = await fetch('/api/push/key', { headers: { accept: 'application/json' } });
  if (!response.ok) return;
  const { publicKey } = (await response.json()) as { publicKey: string };
  const subscription = event.newSubscription ?? (await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: publicKey }));
  const json = { 'content-type': 'application/json' };
  await fetch('/api/push/subscriptions', { method: 'POST', headers: json, body: JSON.stringify(subscription.toJSON()), credentials: 'same-origin' });
  if (event.oldSubscription && event.oldSubscription.endpoint !== subscription.endpoint) {
    const body = JSON.stringify({ endpoint: event.oldSubscription.endpoint });
    await fetch('/api/push/subscriptions', { method: 'DELETE', headers: json, body, credentials: 'same-origin' });
  }
}

/**
 * Test hook: a page may ask the worker to act as if the notification with `tag` was
 * clicked, because headless Chromium cannot click a system notification. Only on a
 * loopback host (the e2e server), never on a deployed origin; and it can do no more
 * than a click could: focus or open a Porch page.
 */
function isTestHost(self: ServiceWorkerGlobalScope): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(self.location.hostname);
}

async function testClick(self: ServiceWorkerGlobalScope, tag: string): Promise<void> {
  const [notification] = await self.registration.getNotifications({ tag });
  if (notification) await openFromNotification(self, notification);
}

export function installPushHandlers(self: ServiceWorkerGlobalScope): void {
  // One push at a time: each reads the room's notification to count, and two running
  // together would both count from the same old number.
  let showing: Promise<void> = Promise.resolve();
  let handled = 0;
  self.addEventListener('push', (event: PushEvent) => {
    const data = event.data;
    showing = showing
      .then(() => showPush(self, data))
      .catch(() => {})
      .finally(() => handled++);
    event.waitUntil(showing);
  });
  self.addEventListener('notificationclick', (event: NotificationEvent) => event.waitUntil(openFromNotification(self, event.notification)));
  self.addEventListener('pushsubscriptionchange', (event: Event) => {
    const change = event as PushSubscriptionChangeEvent;
    change.waitUntil(renewSubscription(self, change));
  });
  self.addEventListener('message', (event: ExtendableMessageEvent) => {
    const data = event.data as { type?: unknown; tag?: unknown } | null;
    if (!isTestHost(self)) return;
    if (data?.type === 'test-notificationclick' && typeof data.tag === 'string') {
      event.waitUntil(testClick(self, data.tag));
    }
    // Test hook: how many pushes have been handled (shown or deliberately not), so a test
    // reads the worker's decision instead of sleeping.
    if (data?.type === 'test-pushes-handled' && event.ports[0]) event.ports[0].postMessage(handled);
  });
}
