import { describe, expect, it } from 'vitest';
import { MENTION_CASES } from '$lib/chat/mention-cases';
import { notificationPreview } from '$lib/chat/notifications';
import { pageNotices } from './page-notifier';

const NOW = Date.UTC(2026, 0, 1, 12);
const message = (text: string, ts = NOW - 1000) => ({ id: 'm1', author: 'bo', text, ts });

describe('pageNotices (SPEC 19-20, the page while hidden)', () => {
  // The page shows exactly what Web Push would send and the list highlights: the same rows.
  it.each(MENTION_CASES)('$text in a muted room shows for $username: $mentioned ($why)', ({ text, username, mentioned }) => {
    const shown = pageNotices([message(text)], username, { muted: true, mentions: true }, NOW);
    expect(shown.length).toBe(mentioned ? 1 : 0);
  });

  it('shows everything fresh in a room that is not muted, nothing once mentions are off too', () => {
    expect(pageNotices([message('hi'), message('@ana')], 'ana', { muted: false, mentions: false }, NOW)).toHaveLength(2);
    expect(pageNotices([message('hi'), message('@ana')], 'ana', { muted: true, mentions: false }, NOW)).toHaveLength(0);
  });

  it('leaves a reconnect backlog to the server push', () => {
    expect(pageNotices([message('hi', NOW - 6 * 60_000)], 'ana', { muted: false, mentions: true }, NOW)).toHaveLength(0);
  });

  it('previews as a push does', () => {
    const text = '  long\n\n' + '😀'.repeat(300);
    expect(pageNotices([message(text)], 'ana', { muted: false, mentions: true }, NOW)[0]?.preview).toBe(notificationPreview(text));
  });
});
