import { describe, expect, it } from 'vitest';
import { mentionedNames } from './mentions';
import { noticeFor, notificationPreview, PREVIEW_CHARS } from './notifications';

describe('noticeFor (SPEC 19)', () => {
  const rows: { text: string; muted: boolean; mentions: boolean; notice: 'mention' | 'message' | null }[] = [
    { text: 'hi all', muted: false, mentions: true, notice: 'message' },
    { text: 'hi @ana', muted: false, mentions: true, notice: 'mention' },
    { text: 'hi @ana', muted: false, mentions: false, notice: 'mention' },
    { text: 'hi all', muted: true, mentions: true, notice: null },
    { text: 'hi @ana', muted: true, mentions: true, notice: 'mention' },
    { text: 'hi:@ANA', muted: true, mentions: true, notice: 'mention' },
    { text: 'hi @ana', muted: true, mentions: false, notice: null },
    { text: 'hi @ana.bo', muted: true, mentions: true, notice: null },
    { text: 'mail bo@ana.com', muted: true, mentions: true, notice: null }
  ];
  it.each(rows)('$text, muted $muted, mentions $mentions -> $notice', ({ text, muted, mentions, notice }) => {
    expect(noticeFor(mentionedNames(text), 'ana', { muted, mentions })).toBe(notice);
  });
});

describe('notificationPreview (SPEC 20)', () => {
  const rows: { why: string; text: string; preview: string }[] = [
    { why: 'short text as it is', text: 'hello', preview: 'hello' },
    { why: 'whitespace folded and trimmed', text: '  hello\n\nthere\t ', preview: 'hello there' },
    { why: 'exactly the limit: not cut', text: 'a'.repeat(PREVIEW_CHARS), preview: 'a'.repeat(PREVIEW_CHARS) },
    { why: 'one over: cut with …', text: 'a'.repeat(PREVIEW_CHARS + 1), preview: 'a'.repeat(PREVIEW_CHARS - 1) + '…' },
    { why: '140 emoji are 280 UTF-16 units but 140 characters: not cut', text: '😀'.repeat(PREVIEW_CHARS), preview: '😀'.repeat(PREVIEW_CHARS) },
    { why: 'long emoji text: cut between emoji', text: '😀'.repeat(500), preview: '😀'.repeat(PREVIEW_CHARS - 1) + '…' },
    { why: 'an emoji at the cut is left whole, not halved', text: 'a'.repeat(139) + '😀😀', preview: 'a'.repeat(139) + '…' },
    { why: 'blank text: empty preview', text: ' \n ', preview: '' }
  ];
  it.each(rows)('$why', ({ text, preview }) => {
    const shown = notificationPreview(text);
    expect(shown).toBe(preview);
    expect(Array.from(shown).length).toBeLessThanOrEqual(PREVIEW_CHARS);
  });
});
