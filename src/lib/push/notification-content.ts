/**
 * What a Porch notification says, shared by the service worker (push) and the page (open
 * but hidden): one notification per room (tag = room id), which counts the messages it
 * stands for. Pure: no DOM, no worker globals.
 */

/** The push payload the sync server sends (sync-server/push/push-sender.ts). */
export interface MessageNotice {
  roomId: string;
  roomName: string;
  messageId: string;
  author: string;
  preview: string;
}

/** Kept in `Notification.data`: which room, and the message ids it already counts. */
interface NoticeData {
  roomId: string | null;
  messageIds: string[];
}

const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';
/** Tag of the fallback notification when a push carried nothing readable. */
const FALLBACK_TAG = 'porch';

const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The payload if it is one of ours, else null (empty, unreadable, or foreign). */
export function parseNotice(value: unknown): MessageNotice | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const fields = ['roomId', 'roomName', 'messageId', 'author', 'preview'] as const;
  if (!fields.every((f) => typeof v[f] === 'string')) return null;
  if (!ROOM_ID.test(v.roomId as string)) return null;
  return { roomId: v.roomId as string, roomName: v.roomName as string, messageId: v.messageId as string, author: v.author as string, preview: v.preview as string };
}

/** The message ids a shown notification already stands for. */
export function countedIds(data: unknown): string[] {
  const ids = (data as Partial<NoticeData> | null)?.messageIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/**
 * The notification for `notice`, given the ids the room's current notification counts.
 * A message already counted (the page showed it, then the push arrived) is not counted
 * twice; several become "N new messages".
 */
export function noticeNotification(notice: MessageNotice, existingIds: string[]): { title: string; options: NotificationOptions } {
  const ids = existingIds.includes(notice.messageId) ? existingIds : [...existingIds, notice.messageId];
  // A long-unread room would otherwise grow its data without bound.
  const kept = ids.slice(-100);
  // A DM is named after its sender: the title already says who.
  const single = notice.roomName === notice.author ? notice.preview : `${notice.author}: ${notice.preview}`;
  const data: NoticeData = { roomId: notice.roomId, messageIds: kept };
  return {
    title: notice.roomName,
    options: {
      body: ids.length > 1 ? `${ids.length} new messages` : single,
      tag: notice.roomId,
      icon: ICON,
      badge: BADGE,
      data,
      // Replacing the room's notification should still alert: it is news.
      ...({ renotify: true } as NotificationOptions)
    }
  };
}

/** Shown when a push arrived without a payload we can read. */
export function fallbackNotification(): { title: string; options: NotificationOptions } {
  const data: NoticeData = { roomId: null, messageIds: [] };
  return { title: 'Porch', options: { body: 'New message in Porch', tag: FALLBACK_TAG, icon: ICON, badge: BADGE, data } };
}

/** Where a click on a notification with this data leads. */
export function targetPath(data: unknown): string {
  const roomId = (data as Partial<NoticeData> | null)?.roomId;
  return typeof roomId === 'string' && ROOM_ID.test(roomId) ? `/rooms/${roomId}` : '/';
}

/** The message a service worker posts to a window it focuses, to route it to `path`. */
export interface OpenMessage {
  type: 'porch:open';
  path: string;
}
