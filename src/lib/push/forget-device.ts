import { api } from '$lib/client/api';
import { notificationsOnKey } from './push-settings.svelte';

/**
 * Before signing out: this device stops getting the user's notifications. The server
 * forgets the endpoint, and the browser drops the subscription too, so even if the server
 * could not be told, the push service answers 410 next time and the server forgets it then.
 * Best effort: never blocks signing out.
 */
export async function forgetPushOnThisDevice(userId: string): Promise<void> {
  try {
    localStorage.removeItem(notificationsOnKey(userId));
    if (!('serviceWorker' in navigator)) return;
    // getRegistration, not ready: without a worker (dev), ready would never settle.
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    if (!subscription) return;
    await api.unsubscribePush(subscription.endpoint);
    await subscription.unsubscribe();
  } catch {
    /* nothing more to do: see above */
  }
}
