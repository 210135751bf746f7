import { api, type NotificationSettings } from '$lib/client/api';

/** The signed-in user's mute settings for one room, kept on the server (per user, not device). */
export class RoomNotifications {
  #settings = $state<NotificationSettings | null>(null);
  #busy = $state(false);
  #error = $state<string | null>(null);
  readonly #roomId: string;

  constructor(roomId: string) {
    this.#roomId = roomId;
  }

  /** null until loaded (or when offline: the toggle is then not shown). */
  get settings(): NotificationSettings | null {
    return this.#settings;
  }
  get busy(): boolean {
    return this.#busy;
  }
  get error(): string | null {
    return this.#error;
  }

  async load(): Promise<void> {
    const result = await api.notificationSettings(this.#roomId);
    if (result.ok) this.#settings = result.data;
  }

  async update(patch: Partial<NotificationSettings>): Promise<void> {
    if (!this.#settings || this.#busy) return;
    const next = { ...this.#settings, ...patch };
    const before = this.#settings;
    // Shown at once; put back if the server says no.
    this.#settings = next;
    this.#busy = true;
    this.#error = null;
    const result = await api.setNotificationSettings(this.#roomId, next);
    this.#busy = false;
    if (!result.ok) {
      this.#settings = before;
      this.#error = result.message;
    }
  }
}
