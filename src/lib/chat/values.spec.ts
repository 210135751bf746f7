import { describe, expect, it } from 'vitest';
import { isSingleEmoji, parseReactionKey, reactionKey, tsProblem } from './values';

describe('isSingleEmoji', () => {
  it.each(['👍', '👍🏽', '❤️', '❤', '❤️‍🔥', '👩🏽‍💻', '👨‍👩‍👧‍👦', '🏳️‍🌈', '🇫🇷', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '1️⃣', '#⃣'])('accepts %s', (emoji) => {
    expect(isSingleEmoji(emoji)).toBe(true);
  });

  it.each(['', 'a', 'lol', '👍👍', '👍 ', '🇫', '🇫🇷🇩🇪', '1', '|', '👍|x', '\u200D'])('refuses %j', (text) => {
    expect(isSingleEmoji(text)).toBe(false);
  });
});

describe('reaction keys', () => {
  it('round-trips and refuses anything else', () => {
    const key = reactionKey({ messageId: 'm-1', emoji: '🎉', userId: 'u1' });
    expect(key).toBe('m-1|🎉|u1');
    expect(parseReactionKey(key)).toEqual({ messageId: 'm-1', emoji: '🎉', userId: 'u1' });
    expect(parseReactionKey('m-1|🎉')).toBeNull();
    expect(parseReactionKey('m-1|🎉|u1|x')).toBeNull();
    expect(parseReactionKey('m-1|🎉|')).toBeNull();
    expect(parseReactionKey('m 1|🎉|u1')).toBeNull();
  });
});

describe('tsProblem', () => {
  const now = Date.UTC(2025, 5, 1);
  it('allows the past back to 2020 and five minutes of skew', () => {
    expect(tsProblem(Date.UTC(2020, 0, 1), now)).toBeNull();
    expect(tsProblem(now + 5 * 60_000, now)).toBeNull();
    expect(tsProblem(now + 5 * 60_000 + 1, now)).toBe('Timestamp is in the future');
    expect(tsProblem(NaN, now)).toBe('Timestamp is not a number');
    expect(tsProblem('1', now)).toBe('Timestamp is not a number');
  });
});
