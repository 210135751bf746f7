import { describe, expect, it } from 'vitest';
import type { ApiRoom } from '$lib/client/api';
import { findMessages } from './found-messages';
import { MessageIndex } from './message-index';

const room = (id: string, name: string, kind: 'group' | 'dm' = 'group'): ApiRoom => ({ id, name, topic: null, kind, createdAt: new Date(0).toISOString(), role: 'member', memberCount: 2 });

describe('findMessages', () => {
  const index = new MessageIndex();
  const ts = Date.UTC(2026, 0, 1);
  index.set({ roomId: 'g', id: 'm1', author: 'me', text: 'ticket booked', ts });
  index.set({ roomId: 'g', id: 'm2', author: 'bo', text: 'ticket for me too?', ts: ts + 1 });
  index.set({ roomId: 'g', id: 'm3', author: 'gone', text: 'tickets sold out', ts: ts + 2 });
  index.set({ roomId: 'd', id: 'm4', author: 'cy', text: 'my ticket', ts: ts + 3 });
  index.set({ roomId: 'left', id: 'm5', author: 'bo', text: 'old ticket', ts: ts + 4 });
  const names = { me: 'me', members: (roomId: string) => (roomId === 'g' ? [{ id: 'bo', username: 'bo' }] : []) };

  it('names the room and the author: You, a member, the other person of a DM, else Unknown', () => {
    const found = findMessages(index, 'tick', [room('g', 'Trip'), room('d', 'cy', 'dm')], { limit: 10, names });
    expect(found.hits.map((h) => [h.roomName, h.author, h.messageId])).toEqual([
      ['cy', 'cy', 'm4'],
      ['Trip', 'Unknown', 'm3'],
      ['Trip', 'bo', 'm2'],
      ['Trip', 'You', 'm1']
    ]);
    expect(found).toMatchObject({ total: 4, capped: false });
  });

  it('leaves out rooms the user is no longer in, and marks the match', () => {
    const found = findMessages(index, 'old', [room('g', 'Trip')], { limit: 10, names });
    expect(found.total).toBe(0);
    const [hit] = findMessages(index, 'sold', [room('g', 'Trip')], { limit: 10, names }).hits;
    expect(hit?.parts).toEqual([
      { text: 'tickets ', match: false },
      { text: 'sold', match: true },
      { text: ' out', match: false }
    ]);
  });
});
