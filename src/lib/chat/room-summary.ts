import type * as Y from 'yjs';
import { applyEdit } from './edits';
import { roomTypes } from './schema';
import { asChatMessage, asEditEntry, asReadMarker } from './values';

/**
 * What the room list shows of a room, read in one backward pass over its messages: the
 * unread count (same meaning as `unreadCount` in reads.ts), the first unread message and
 * the last message as a preview. Pure; for rooms that are not open.
 */

export interface LastMessage {
  id: string;
  author: string;
  /** Edits applied; empty when deleted. */
  text: string;
  ts: number;
  deleted: boolean;
}

export interface RoomSummary {
  unread: number;
  /** The oldest unread message, where "Jump to first unread" goes. */
  firstUnread: string | null;
  last: LastMessage | null;
}

export function summarizeRoom(doc: Y.Doc, userId: string): RoomSummary {
  const { messages, edits, reads } = roomTypes(doc);
  const all = messages.toArray();
  const marker = asReadMarker(reads.get(userId));
  let last: LastMessage | null = null;
  // Walking back from the end: `after` counts what lies after the marker (if we meet it),
  // `newer` what is newer than the marker's time (if we never meet it: a marker naming a
  // message this replica has not received yet).
  let after = 0;
  let firstAfter: string | null = null;
  let newer = 0;
  let firstNewer: string | null = null;
  for (let i = all.length - 1; i >= 0; i--) {
    const message = asChatMessage(all[i]);
    if (!message) continue;
    const shown = applyEdit(message, asEditEntry(edits.get(message.id)));
    const deleted = shown.deletedAt !== null;
    if (!last) last = { id: message.id, author: message.author, text: shown.text, ts: message.ts, deleted };
    if (marker && message.id === marker.id) return { unread: after, firstUnread: firstAfter, last };
    if (message.author === userId || deleted) continue;
    after++;
    firstAfter = message.id;
    if (marker && message.ts > marker.ts) {
      newer++;
      firstNewer = message.id;
    }
  }
  return marker ? { unread: newer, firstUnread: firstNewer, last } : { unread: after, firstUnread: firstAfter, last };
}
