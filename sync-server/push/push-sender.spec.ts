import { describe, expect, it } from 'vitest';
import { MENTION_CASES } from '../../src/lib/chat/mention-cases';
import { recipientsOf } from './push-notifier';
import { encodePayload, MAX_PAYLOAD_BYTES, topicFor } from './push-sender';

describe('push payload', () => {
  it('keeps the JSON under the size limit', () => {
    const body = encodePayload({ roomId: 'r', roomName: 'n', messageId: 'm', author: 'a', preview: '"'.repeat(4000) });
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_PAYLOAD_BYTES);
  });

  it('makes a Topic of at most 32 URL-safe characters, stable per room', () => {
    expect(topicFor('0b3a4c0e-1d2f-4a5b-8c9d-0e1f2a3b4c5d')).toBe('0b3a4c0e1d2f4a5b8c9d0e1f2a3b4c5d');
    const hashed = topicFor('x'.repeat(64));
    expect(hashed).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(topicFor('x'.repeat(64))).toBe(hashed);
  });
});

describe('who is notified', () => {
  const member = (userId: string, username: string, muted = false, mentionsOn = true) => ({ userId, username, muted, mentions: mentionsOn });
  const message = (author: string, text: string) => ({ id: 'm1', author, text, ts: Date.now() });

  // SPEC 19: a muted room pushes exactly the messages the list highlights, urgently (SPEC 20).
  it.each(MENTION_CASES)('$text in a muted room pushes to $username: $mentioned ($why)', ({ text, username, mentioned }) => {
    const to = recipientsOf(message('a', text), [member('a', 'author'), member('r', username, true)], new Set(), false);
    expect(to).toEqual(mentioned ? [{ userId: 'r', urgency: 'high' }] : []);
  });

  it('never the author or someone active; muted only when mentioned with mentions on', () => {
    const members = [member('a', 'ana'), member('b', 'bo'), member('c', 'cy', true), member('d', 'dee', true, false), member('e', 'eve')];
    const to = recipientsOf(message('a', 'hi @cy and @dee'), members, new Set(['e']), false);
    expect(to).toEqual([
      { userId: 'b', urgency: 'normal' },
      { userId: 'c', urgency: 'high' }
    ]);
  });
});
