import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage } from './edits';
import { sendMessage } from './messages';
import { markRead, unreadCount } from './reads';
import { roomTypes } from './schema';

function room(...authors: string[]): { doc: Y.Doc; ids: string[] } {
  const doc = new Y.Doc();
  const ids = authors.map((author, i) => {
    const sent = sendMessage(doc, { author, text: `m${i}` });
    if (!sent.ok) throw new Error('send failed');
    return sent.message.id;
  });
  return { doc, ids };
}

describe('read markers', () => {
  it("counts others' messages after the marker; one's own never count", () => {
    const { doc, ids } = room('ana', 'bo', 'ana', 'bo', 'bo');
    expect(unreadCount(doc, 'ana')).toBe(3);
    expect(markRead(doc, { userId: 'ana', messageId: ids[1]! })).toBe(true);
    expect(unreadCount(doc, 'ana')).toBe(2);
    expect(unreadCount(doc, 'bo')).toBe(2);
  });

  it('only moves forward', () => {
    const { doc, ids } = room('ana', 'bo', 'bo');
    markRead(doc, { userId: 'ana', messageId: ids[2]! });
    expect(markRead(doc, { userId: 'ana', messageId: ids[1]! })).toBe(false);
    expect(roomTypes(doc).reads.get('ana')?.id).toBe(ids[2]);
    expect(markRead(doc, { userId: 'ana', messageId: 'unknown' })).toBe(false);
  });

  it('leaves deleted messages out of the count', () => {
    const { doc, ids } = room('bo', 'bo');
    deleteMessage(doc, { messageId: ids[0]!, userId: 'bo', role: 'member' });
    expect(unreadCount(doc, 'ana')).toBe(1);
  });

  it('uses the marker time when the marked message has not arrived yet', () => {
    const { doc } = room('bo');
    roomTypes(doc).reads.set('ana', { id: 'not-here-yet', ts: Date.now() + 1000 });
    expect(unreadCount(doc, 'ana')).toBe(0);
  });
});
