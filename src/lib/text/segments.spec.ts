import { describe, expect, it } from 'vitest';
import { MENTION_CASES } from '$lib/chat/mention-cases';
import { segmentText } from './segments';

describe('segmentText', () => {
  it('keeps plain text as one segment', () => {
    expect(segmentText('hello there')).toEqual([{ kind: 'text', text: 'hello there' }]);
  });

  it('makes http and https links, leaving sentence punctuation outside', () => {
    expect(segmentText('see https://example.com/a?b=1. ok')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { kind: 'text', text: '. ok' }
    ]);
    expect(segmentText('(http://x.org/Foo_(bar))')[1]).toMatchObject({ kind: 'link', text: 'http://x.org/Foo_(bar)' });
  });

  it('never links other schemes', () => {
    for (const text of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.org', 'JAVASCRIPT://%0aalert(1)']) {
      expect(segmentText(text).every((s) => s.kind === 'text')).toBe(true);
    }
  });

  it('keeps markup as text', () => {
    expect(segmentText('<img src=x onerror=alert(1)>')).toEqual([{ kind: 'text', text: '<img src=x onerror=alert(1)>' }]);
  });

  it('finds mentions of known people only, case-insensitively', () => {
    expect(segmentText('hi @Ana, and @nobody', ['ana'])).toEqual([
      { kind: 'text', text: 'hi ' },
      { kind: 'mention', text: '@Ana', username: 'ana' },
      { kind: 'text', text: ', and @nobody' }
    ]);
    expect(segmentText('mail me at bo@ana.com', ['ana']).every((s) => s.kind === 'text')).toBe(true);
  });

  // The list highlights exactly what notifies (SPEC 19): the same rows as the rule itself.
  it.each(MENTION_CASES)('$text shows a mention of $username: $mentioned ($why)', ({ text, username, mentioned }) => {
    const shown = segmentText(text, [username]).filter((s) => s.kind === 'mention');
    expect(shown.map((s) => s.username)).toEqual(mentioned ? [username] : []);
    expect(segmentText(text, [username]).map((s) => s.text).join('')).toBe(text);
  });

  it('shows the full stop after a mention as text', () => {
    expect(segmentText('thanks @bo.', ['bo'])).toEqual([
      { kind: 'text', text: 'thanks ' },
      { kind: 'mention', text: '@bo', username: 'bo' },
      { kind: 'text', text: '.' }
    ]);
  });

  it('loses no characters', () => {
    const text = 'a @ana b https://x.org/y) c @zed. d';
    expect(segmentText(text, ['ana']).map((s) => s.text).join('')).toBe(text);
  });
});
