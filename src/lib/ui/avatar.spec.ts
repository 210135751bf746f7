import { describe, expect, it } from 'vitest';
import { avatarUrl, hueOf, initialsOf } from './avatar';

describe('avatars without a picture', () => {
  it('takes two initials from a name of several words, or two letters from one word', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('ana.lima')).toBe('AL');
    expect(initialsOf('bo')).toBe('BO');
    expect(initialsOf('Émile zola de Paris')).toBe('ÉZ');
    expect(initialsOf('😀 party')).toBe('😀P');
    expect(initialsOf('   ')).toBe('?');
  });

  it('gives each user one colour everywhere, spread over the wheel', () => {
    expect(hueOf('user-1')).toBe(hueOf('user-1'));
    const hues = new Set(Array.from({ length: 50 }, (_, i) => Math.floor(hueOf(`u${i}`) / 30)));
    expect(hues.size).toBeGreaterThan(8);
    expect(avatarUrl('a/b', 3)).toBe('/api/users/a%2Fb/avatar?v=3');
  });
});
