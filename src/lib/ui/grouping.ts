import { dayKey } from './days';

/** How close in time someone else's messages must be to share one name line. */
export const GROUP_MS = 5 * 60_000;

/**
 * Whether `message` goes on from `prev` (the one above it) without showing the author's name
 * again: same author, same day, and, for other people, within GROUP_MS. One's own run shows
 * one's name once however long it is. Screen readers still get the name from each message.
 */
export function continuesGroup(prev: { author: string; ts: number } | undefined, message: { author: string; ts: number }, meId: string): boolean {
  if (!prev || prev.author !== message.author || dayKey(prev.ts) !== dayKey(message.ts)) return false;
  return message.author === meId || Math.abs(message.ts - prev.ts) < GROUP_MS;
}
