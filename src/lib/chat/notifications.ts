/**
 * Who hears about a message and what the notification says: one rule for the sync
 * server's Web Push (SPEC 19-20) and for the notifications a hidden page shows itself.
 */

/** A member's choice for one room (no settings row: not muted, mentions on). */
export interface NoticeSettings {
  muted: boolean;
  /** A muted room still notifies a mention of the member. */
  mentions: boolean;
}

/**
 * How a message by someone else notifies `username`: `'mention'` (it names them: high
 * urgency), `'message'`, or `null` when their settings keep it quiet. `named` is
 * `mentionedNames(text)` of the message, read once for all its recipients. Who is the
 * author or has the room in front of them is the caller's to exclude.
 */
export function noticeFor(named: ReadonlySet<string>, username: string, settings: NoticeSettings): 'mention' | 'message' | null {
  const mentioned = named.has(username.toLowerCase());
  if (settings.muted && !(mentioned && settings.mentions)) return null;
  return mentioned ? 'mention' : 'message';
}

/** A notification body shows two or three lines at most (SPEC 20). */
export const PREVIEW_CHARS = 140;

/**
 * A notification's preview of `text`: whitespace folded, at most PREVIEW_CHARS characters
 * (code points, so an emoji is never cut in half), ending in `…` when cut.
 */
export function notificationPreview(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  if (flat.length <= PREVIEW_CHARS) return flat;
  const chars = Array.from(flat);
  return chars.length <= PREVIEW_CHARS ? flat : chars.slice(0, PREVIEW_CHARS - 1).join('') + '…';
}
