import { describe, expect, it } from 'vitest';
import { MENTION_CASES } from './mention-cases';
import { mentionedNames, mentions, textTokens } from './mentions';

describe('mentions (SPEC 19)', () => {
  it.each(MENTION_CASES)('$text -> $username: $mentioned ($why)', ({ text, username, mentioned }) => {
    expect(mentions(text, username)).toBe(mentioned);
  });

  it('reads every name of a message in one pass, lower-cased', () => {
    expect(mentionedNames('@Ana, @bo.cy and mail@dee.org @eve.')).toEqual(new Set(['ana', 'bo.cy', 'eve']));
  });

  it('gives each mention its place and the name as written, without the full stop', () => {
    expect(textTokens('hi @Ana. https://x.org/@bo')).toEqual([
      { kind: 'mention', start: 3, text: '@Ana', name: 'Ana' },
      { kind: 'link', start: 9, text: 'https://x.org/@bo' }
    ]);
  });
});
