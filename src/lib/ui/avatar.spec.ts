import { describe, expect, it } from 'vitest';
import { AVATAR_LIGHTNESS, AVATAR_SATURATION, avatarUrl, hueOf, initialsOf } from './avatar';

describe('avatars without a picture', () => {
  it('takes two initials from a name of several words, or two letters from one word', () => {
    expect(initialsOf('Ana Lima')).toBe('AL');
    expect(initialsOf('ana.lima')).toBe('AL');
    expect(initialsOf('bo')).toBe('BO');
    expect(initialsOf('Émile zola de Paris')).toBe('ÉZ');
    expect(initialsOf('😀 party')).toBe('😀P');
    expect(initialsOf('   ')).toBe('?');
  });

  it('keeps white initials at WCAG AA (4.5:1) on the background of every hue', () => {
    // HSL to sRGB, then WCAG's relative luminance.
    const rgb = (h: number, s: number, l: number) => {
      const a = s * Math.min(l, 1 - l);
      const f = (n: number) => {
        const k = (n + h / 30) % 12;
        return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
      };
      return [f(0), f(8), f(4)];
    };
    const luminance = (c: number[]) => c.map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)).reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i]!, 0);
    let worst = Infinity;
    for (let h = 0; h < 360; h++) worst = Math.min(worst, 1.05 / (luminance(rgb(h, AVATAR_SATURATION / 100, AVATAR_LIGHTNESS / 100)) + 0.05));
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('gives each user one colour everywhere, spread over the wheel', () => {
    expect(hueOf('user-1')).toBe(hueOf('user-1'));
    const hues = new Set(Array.from({ length: 50 }, (_, i) => Math.floor(hueOf(`u${i}`) / 30)));
    expect(hues.size).toBeGreaterThan(8);
    expect(avatarUrl('a/b', 3)).toBe('/api/users/a%2Fb/avatar?v=3');
  });
});
