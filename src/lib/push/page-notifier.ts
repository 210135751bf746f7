import { mentionedNames } from '$lib/chat/mentions';
import { noticeFor, notificationPreview, type NoticeSettings } from '$lib/chat/notifications';
import type { ChatMessage } from '$lib/chat/schema';
import { api, type ApiRoom } from '$lib/client/api';
import { countedIds, noticeNotification } from './notification-content';
import { notificationsOnKey } from './push-settings.svelte';

/** A message older than this arrived late (a reconnect's backlog): the server pushed it then. */
const FRESH_MS = 5 * 60_000;

/**
 * Which of `messages` (by others, arrived live) the page shows a notification for, each
 * with its preview: fresh ones that `username`'s settings let through, by the same rule
 * and preview as Web Push (SPEC 19-20).
 */
export function pageNotices(messages: ChatMessage[], username: string, settings: NoticeSettings, now: number): { message: ChatMessage; preview: string }[] {
  return messages
    .filter((m) => m.ts > now - FRESH_MS && noticeFor(mentionedNames(m.text), username, settings) !== null)
    .map((message) => ({ message, preview: notificationPreview(message.text) }));
}

/**
 * Notifications shown by the page itself while Porch is open but hidden: the page learns
 * of a message before any push could arrive. It shows them through the service worker's
 * registration, with the same tag and data as a push, so a click goes through the same
 * handler and a push for the same message only replaces it, never counts it twice.
 */
export class PageNotifier {
  readonly #me: { id: string; username: string };
  /** room id -> user id -> username, for "ana: hi" (fetched once per room). */
  readonly #names = new Map<string, Map<string, string>>();

  constructor(me: { id: string; username: string }) {
    this.#me = me;
  }

  /** Whether now is a time to show: hidden page, user turned notifications on, permission. */
  #wanted(): boolean {
    return (
      document.visibilityState === 'hidden' &&
      'Notification' in window &&
      Notification.permission === 'granted' &&
      localStorage.getItem(notificationsOnKey(this.#me.id)) === '1'
    );
  }

  async notify(room: ApiRoom, messages: ChatMessage[]): Promise<void> {
    if (!messages.some((m) => m.ts > Date.now() - FRESH_MS) || !this.#wanted()) return;
    const settings = await api.notificationSettings(room.id);
    if (!settings.ok) return;
    const shown = pageNotices(messages, this.#me.username, settings.data, Date.now());
    if (shown.length === 0) return;
    const registration = await navigator.serviceWorker.ready;
    for (const { message, preview } of shown) {
      const author = await this.#nameOf(room, message.author);
      const existing = await registration.getNotifications({ tag: room.id });
      const { title, options } = noticeNotification(
        {
          roomId: room.id,
          // The room list already names a DM after the other person.
          roomName: room.name,
          messageId: message.id,
          author,
          preview
        },
        existing.flatMap((n) => countedIds(n.data))
      );
      await registration.showNotification(title, options);
    }
  }

  async #nameOf(room: ApiRoom, userId: string): Promise<string> {
    if (room.kind === 'dm') return room.name;
    let names = this.#names.get(room.id);
    if (!names?.has(userId)) {
      const details = await api.room(room.id);
      names = new Map(details.ok ? details.data.members.map((m) => [m.id, m.username]) : []);
      this.#names.set(room.id, names);
    }
    return names.get(userId) ?? 'Someone';
  }
}
