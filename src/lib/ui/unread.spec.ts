import { describe, expect, it } from 'vitest';
import { titleWithUnread } from './unread';

describe('titleWithUnread', () => {
  it('puts the count in front, capped, and nothing when all is read', () => {
    expect(titleWithUnread('Rooms · Porch', 0)).toBe('Rooms · Porch');
    expect(titleWithUnread('Rooms · Porch', 3)).toBe('(3) Rooms · Porch');
    expect(titleWithUnread('Rooms · Porch', 250)).toBe('(99+) Rooms · Porch');
  });
});
