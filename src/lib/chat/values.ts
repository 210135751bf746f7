import { EARLIEST_TS, MAX_CLOCK_SKEW_MS, MAX_MESSAGE_LENGTH, MESSAGE_ID, type ChatMessage, type EditEntry, type ReadMarker } from './schema';

/**
 * The shapes of the values the room document holds, checked exactly: a value with a
 * missing, extra or mistyped field is not that value. Pure; the server's write rules and
 * the browser's readers share these.
 */

/** A value is why it fails, or null when it is fine. */
export type Problem = string | null;

/** A plain object (not an array, not binary, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function hasExactly(value: Record<string, unknown>, required: string[], optional: string[] = []): boolean {
  for (const key of required) if (!(key in value)) return false;
  for (const key of Object.keys(value)) if (!required.includes(key) && !optional.includes(key)) return false;
  return true;
}

/** A timestamp written "now" by a client: finite, not before 2020, at most 5 minutes ahead of `now`. */
export function tsProblem(ts: unknown, now: number): Problem {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return 'Timestamp is not a number';
  if (ts < EARLIEST_TS) return 'Timestamp is before 2020';
  if (ts > now + MAX_CLOCK_SKEW_MS) return 'Timestamp is in the future';
  return null;
}

/** Message or edit text: not blank, at most MAX_MESSAGE_LENGTH UTF-16 code units. */
function textProblem(text: unknown): Problem {
  if (typeof text !== 'string') return 'Text is not a string';
  if (text.length > MAX_MESSAGE_LENGTH) return `Text is longer than ${MAX_MESSAGE_LENGTH} characters`;
  if (text.trim().length === 0) return 'Text is empty';
  return null;
}

function isMessageId(id: unknown): id is string {
  return typeof id === 'string' && MESSAGE_ID.test(id);
}

/** A new `messages` element written by `userId`. */
export function messageProblem(value: unknown, userId: string, now: number): Problem {
  if (!isRecord(value) || !hasExactly(value, ['id', 'author', 'text', 'ts'], ['replyTo', 'forwarded'])) return 'Message has the wrong shape';
  if (!isMessageId(value.id)) return 'Message id is invalid';
  if (value.author !== userId) return 'Message author is not the writer';
  if ('replyTo' in value && !isMessageId(value.replyTo)) return 'Message replyTo is invalid';
  if ('forwarded' in value && value.forwarded !== true) return 'Message forwarded is invalid';
  return textProblem(value.text) ?? tsProblem(value.ts, now);
}

/** Reads a message without judging who wrote it (for readers of the document). */
export function asChatMessage(value: unknown): ChatMessage | null {
  if (!isRecord(value) || !isMessageId(value.id) || typeof value.author !== 'string') return null;
  if (typeof value.text !== 'string' || typeof value.ts !== 'number') return null;
  const message: ChatMessage = { id: value.id, author: value.author, text: value.text, ts: value.ts };
  if (isMessageId(value.replyTo)) message.replyTo = value.replyTo;
  if (value.forwarded === true) message.forwarded = true;
  return message;
}

/** An `edits` value: `{ text, ts }` or `{ deleted: true, ts }`. */
export function editProblem(value: unknown, now: number): Problem {
  if (!isRecord(value)) return 'Edit has the wrong shape';
  if (hasExactly(value, ['text', 'ts'])) return textProblem(value.text) ?? tsProblem(value.ts, now);
  if (hasExactly(value, ['deleted', 'ts']) && value.deleted === true) return tsProblem(value.ts, now);
  return 'Edit has the wrong shape';
}

export function asEditEntry(value: unknown): EditEntry | null {
  if (!isRecord(value) || typeof value.ts !== 'number') return null;
  if (value.deleted === true) return { deleted: true, ts: value.ts };
  if (typeof value.text === 'string') return { text: value.text, ts: value.ts };
  return null;
}

/** A `reads` value: `{ id, ts }`. */
export function readMarkerProblem(value: unknown, now: number): Problem {
  if (!isRecord(value) || !hasExactly(value, ['id', 'ts'])) return 'Read marker has the wrong shape';
  if (!isMessageId(value.id)) return 'Read marker id is invalid';
  return tsProblem(value.ts, now);
}

export function asReadMarker(value: unknown): ReadMarker | null {
  if (!isRecord(value) || !isMessageId(value.id) || typeof value.ts !== 'number') return null;
  return { id: value.id, ts: value.ts };
}

/** Longest emoji accepted, in UTF-16 code units (a long ZWJ family is about 11). */
const MAX_EMOJI_LENGTH = 32;

/**
 * One emoji: a pictograph with optional variation selector, skin tone and ZWJ-joined
 * pictographs; or a flag (two regional indicators); or a tag flag (🏴 plus tag
 * characters); or a keycap (0-9 # * with U+20E3). Unicode property escapes cover new
 * emoji without a table; a grapheme check (Intl.Segmenter, when present) makes sure it
 * is one user-perceived character.
 */
const EMOJI =
  /^(?:\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}|[0-9#*]\uFE0F?\u20E3)$/u;

const segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;

export function isSingleEmoji(text: string): boolean {
  if (text.length === 0 || text.length > MAX_EMOJI_LENGTH || !EMOJI.test(text)) return false;
  if (!segmenter) return true;
  let graphemes = 0;
  for (const _ of segmenter.segment(text)) if (++graphemes > 1) return false;
  return true;
}

export interface ReactionKey {
  messageId: string;
  emoji: string;
  userId: string;
}

export function reactionKey({ messageId, emoji, userId }: ReactionKey): string {
  return `${messageId}|${emoji}|${userId}`;
}

/** Splits `messageId|emoji|userId`; null when it is not a valid reaction key. */
export function parseReactionKey(key: string): ReactionKey | null {
  const parts = key.split('|');
  if (parts.length !== 3) return null;
  const [messageId, emoji, userId] = parts as [string, string, string];
  if (!isMessageId(messageId) || !isSingleEmoji(emoji) || userId.length === 0) return null;
  return { messageId, emoji, userId };
}
