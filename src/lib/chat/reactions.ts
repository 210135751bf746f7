import type * as Y from 'yjs';
import { findMessage } from './edits';
import { roomTypes } from './schema';
import { isSingleEmoji, parseReactionKey, reactionKey } from './values';

/** Reactions: one `reactions` entry `messageId|emoji|userId -> ts` per person and emoji. */

export type ReactResult = { ok: true } | { ok: false; error: 'not-found' | 'not-an-emoji' };

/** Adds one's reaction (a no-op if it is there already). */
export function react(doc: Y.Doc, input: { messageId: string; emoji: string; userId: string; ts?: number }): ReactResult {
  if (!isSingleEmoji(input.emoji)) return { ok: false, error: 'not-an-emoji' };
  if (!findMessage(doc, input.messageId)) return { ok: false, error: 'not-found' };
  const { reactions } = roomTypes(doc);
  const key = reactionKey(input);
  if (!reactions.has(key)) reactions.set(key, input.ts ?? Date.now());
  return { ok: true };
}

/** Takes one's reaction back (a no-op if there is none). */
export function unreact(doc: Y.Doc, input: { messageId: string; emoji: string; userId: string }): void {
  const { reactions } = roomTypes(doc);
  const key = reactionKey(input);
  if (reactions.has(key)) reactions.delete(key);
}

export interface ReactionSummary {
  emoji: string;
  /** Who reacted, earliest first. */
  userIds: string[];
}

/** A message's reactions grouped by emoji, in the order each emoji was first used. */
export function reactionsOf(doc: Y.Doc, messageId: string): ReactionSummary[] {
  const found: { emoji: string; userId: string; ts: number }[] = [];
  for (const [key, ts] of roomTypes(doc).reactions.entries()) {
    const parsed = parseReactionKey(key);
    if (parsed?.messageId === messageId && typeof ts === 'number') found.push({ emoji: parsed.emoji, userId: parsed.userId, ts });
  }
  return groupReactions(found);
}

/** Groups reactions by emoji, in the order they were first given, users oldest first. */
export function groupReactions(found: { emoji: string; userId: string; ts: number }[]): { emoji: string; userIds: string[] }[] {
  const sorted = [...found].sort((a, b) => a.ts - b.ts || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const groups = new Map<string, string[]>();
  for (const { emoji, userId } of sorted) {
    const users = groups.get(emoji);
    if (users) users.push(userId);
    else groups.set(emoji, [userId]);
  }
  return [...groups].map(([emoji, userIds]) => ({ emoji, userIds }));
}
