import { api } from '$lib/client/api';

/**
 * Whether this device gets Porch notifications, for the settings page. The browser's
 * permission is asked only inside `enable()` (after the user's click), never on load.
 */
export type PushPermission = NotificationPermission | 'unsupported';

/** localStorage key: the user turned notifications on on this device (read by PageNotifier too). */
export function notificationsOnKey(userId: string): string {
  return `porch:notifications:${userId}`;
}

export class PushSettings {
  #permission = $state<PushPermission>('default');
  #subscribed = $state(false);
  #busy = $state(false);
  #error = $state<string | null>(null);
  readonly #userId: string;

  constructor(userId: string) {
    this.#userId = userId;
    this.#permission = PushSettings.supported() ? Notification.permission : 'unsupported';
  }

  static supported(): boolean {
    return typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  }

  get permission(): PushPermission {
    return this.#permission;
  }
  /** This device has a push subscription the server holds for this user. */
  get subscribed(): boolean {
    return this.#subscribed;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }

  async #registration(): Promise<ServiceWorkerRegistration> {
    return navigator.serviceWorker.ready;
  }

  /** Reads the current state: the browser's subscription, confirmed by the server. */
  async refresh(): Promise<void> {
    if (this.#permission === 'unsupported') return;
    this.#permission = Notification.permission;
    const subscription = await (await this.#registration()).pushManager.getSubscription();
    if (!subscription || this.#permission !== 'granted') {
      this.#subscribed = false;
      return;
    }
    const status = await api.pushStatus(subscription.endpoint);
    // Unknown to the server (e.g. another account on this browser took it): shown as off.
    this.#subscribed = status.ok && status.data.subscribed;
  }

  /** Asks permission, subscribes this device and registers it with the server. */
  async enable(): Promise<boolean> {
    return this.#run(async () => {
      this.#permission = await Notification.requestPermission();
      if (this.#permission !== 'granted') return 'Notifications are blocked. Allow them in the browser’s site settings.';
      const key = await api.pushKey();
      if (!key.ok) return key.message;
      const registration = await this.#registration();
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key.data.publicKey }));
      const saved = await api.subscribePush(subscription.toJSON());
      if (!saved.ok) return saved.message;
      localStorage.setItem(notificationsOnKey(this.#userId), '1');
      this.#subscribed = true;
      return null;
    });
  }

  /** Unregisters this device with the server and drops the browser's subscription. */
  async disable(): Promise<boolean> {
    return this.#run(async () => {
      localStorage.removeItem(notificationsOnKey(this.#userId));
      const subscription = await (await this.#registration()).pushManager.getSubscription();
      if (subscription) {
        const removed = await api.unsubscribePush(subscription.endpoint);
        if (!removed.ok) return removed.message;
        await subscription.unsubscribe();
      }
      this.#subscribed = false;
      return null;
    });
  }

  async #run(step: () => Promise<string | null>): Promise<boolean> {
    if (this.#busy) return false;
    this.#busy = true;
    this.#error = null;
    try {
      this.#error = await step();
    } catch {
      this.#error = 'This browser could not set up notifications. Try again later.';
    } finally {
      this.#busy = false;
    }
    return this.#error === null;
  }
}
