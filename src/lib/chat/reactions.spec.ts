import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from './messages';
import { react, reactionsOf, unreact } from './reactions';

function withMessage() {
  const doc = new Y.Doc();
  const sent = sendMessage(doc, { author: 'ana', text: 'party?' });
  if (!sent.ok) throw new Error('send failed');
  return { doc, id: sent.message.id };
}

describe('reactions', () => {
  it('groups by emoji in order of first use, one entry per person', () => {
    const { doc, id } = withMessage();
    react(doc, { messageId: id, emoji: '🎉', userId: 'bo', ts: Date.UTC(2025, 0, 1, 0, 0, 1) });
    react(doc, { messageId: id, emoji: '👍', userId: 'cy', ts: Date.UTC(2025, 0, 1, 0, 0, 2) });
    react(doc, { messageId: id, emoji: '🎉', userId: 'ana', ts: Date.UTC(2025, 0, 1, 0, 0, 3) });
    react(doc, { messageId: id, emoji: '🎉', userId: 'bo', ts: Date.UTC(2025, 0, 1, 0, 0, 4) });
    expect(reactionsOf(doc, id)).toEqual([
      { emoji: '🎉', userIds: ['bo', 'ana'] },
      { emoji: '👍', userIds: ['cy'] }
    ]);
  });

  it("takes one's reaction back and leaves the others", () => {
    const { doc, id } = withMessage();
    react(doc, { messageId: id, emoji: '🎉', userId: 'bo' });
    react(doc, { messageId: id, emoji: '🎉', userId: 'cy' });
    unreact(doc, { messageId: id, emoji: '🎉', userId: 'bo' });
    unreact(doc, { messageId: id, emoji: '🎉', userId: 'bo' });
    expect(reactionsOf(doc, id)).toEqual([{ emoji: '🎉', userIds: ['cy'] }]);
  });

  it('refuses a non-emoji and an unknown message', () => {
    const { doc, id } = withMessage();
    expect(react(doc, { messageId: id, emoji: 'lol', userId: 'bo' })).toEqual({ ok: false, error: 'not-an-emoji' });
    expect(react(doc, { messageId: 'nope', emoji: '👍', userId: 'bo' })).toEqual({ ok: false, error: 'not-found' });
  });
});
