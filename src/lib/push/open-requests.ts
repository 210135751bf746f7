import type { OpenMessage } from './notification-content';

/**
 * Listens for the service worker asking this window to show a room (a notification was
 * clicked while Porch was open elsewhere): routed in the app instead of reloading it.
 * Returns the cleanup.
 */
export function listenForOpenRequests(open: (roomId: string | null) => void): () => void {
  if (!('serviceWorker' in navigator)) return () => {};
  const onMessage = (event: MessageEvent) => {
    const data = event.data as Partial<OpenMessage> | null;
    if (data?.type !== 'porch:open' || typeof data.path !== 'string') return;
    // A room id or the room list: never a URL someone else chose.
    const match = /^\/(?:rooms\/([A-Za-z0-9_-]{1,64}))?$/.exec(data.path);
    if (match) open(match[1] ?? null);
  };
  navigator.serviceWorker.addEventListener('message', onMessage);
  return () => navigator.serviceWorker.removeEventListener('message', onMessage);
}
