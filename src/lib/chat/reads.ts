import type * as Y from 'yjs';
import { viewMessages } from './edits';
import { roomTypes } from './schema';
import { asReadMarker } from './values';

/**
 * Read markers: `reads[userId] = { id, ts }`, the last message the user has seen. Markers
 * only move forward; receipts and unread counts derive from their position.
 */

/** Message id -> position in document order. */
function positions(doc: Y.Doc): Map<string, number> {
  const out = new Map<string, number>();
  viewMessages(doc).forEach((m, i) => out.set(m.id, i));
  return out;
}

/**
 * Moves the user's read marker to `messageId`, unless it already points at or past it.
 * Returns whether it moved.
 */
export function markRead(doc: Y.Doc, input: { userId: string; messageId: string; ts?: number }): boolean {
  const at = positions(doc);
  const target = at.get(input.messageId);
  if (target === undefined) return false;
  const { reads } = roomTypes(doc);
  const current = asReadMarker(reads.get(input.userId));
  const currentAt = current ? at.get(current.id) : undefined;
  if (currentAt !== undefined && currentAt >= target) return false;
  reads.set(input.userId, { id: input.messageId, ts: input.ts ?? Date.now() });
  return true;
}

/**
 * Messages from others after the user's read marker, deleted ones left out. Without a
 * marker everything from others is unread; with a marker naming a message this replica
 * has not received yet, messages newer than the marker's time are.
 */
export function unreadCount(doc: Y.Doc, userId: string): number {
  const messages = viewMessages(doc);
  const marker = asReadMarker(roomTypes(doc).reads.get(userId));
  const markerAt = marker ? messages.findIndex((m) => m.id === marker.id) : -1;
  let count = 0;
  messages.forEach((m, i) => {
    if (m.author === userId || m.deletedAt !== null) return;
    if (markerAt >= 0 ? i > markerAt : marker === null || m.ts > marker.ts) count++;
  });
  return count;
}
