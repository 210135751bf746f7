import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, editMessage } from './edits';
import { sendMessage } from './messages';
import { markRead, unreadCount } from './reads';
import { roomTypes } from './schema';
import { summarizeRoom } from './room-summary';

function send(doc: Y.Doc, author: string, text: string, ts?: number): string {
  const sent = sendMessage(doc, ts === undefined ? { author, text } : { author, text, ts });
  if (!sent.ok) throw new Error('send failed');
  return sent.message.id;
}

describe('summarizeRoom', () => {
  it('is empty for an empty room', () => {
    expect(summarizeRoom(new Y.Doc(), 'ana')).toEqual({ unread: 0, firstUnread: null, last: null });
  });

  it("counts others' messages after the marker and names the first of them", () => {
    const doc = new Y.Doc();
    const a = send(doc, 'bo', 'one');
    const b = send(doc, 'bo', 'two');
    send(doc, 'ana', 'mine');
    const d = send(doc, 'cy', 'three');
    expect(summarizeRoom(doc, 'ana')).toMatchObject({ unread: 3, firstUnread: a });
    markRead(doc, { userId: 'ana', messageId: a });
    expect(summarizeRoom(doc, 'ana')).toMatchObject({ unread: 2, firstUnread: b, last: { id: d, text: 'three', author: 'cy', deleted: false } });
  });

  it('shows edits in the preview and leaves deleted messages out of the count', () => {
    const doc = new Y.Doc();
    const a = send(doc, 'bo', 'first');
    const b = send(doc, 'bo', 'tpyo');
    editMessage(doc, { messageId: b, userId: 'bo', text: 'typo' });
    expect(summarizeRoom(doc, 'ana').last?.text).toBe('typo');
    deleteMessage(doc, { messageId: b, userId: 'bo', role: 'member' });
    expect(summarizeRoom(doc, 'ana')).toMatchObject({ unread: 1, firstUnread: a, last: { id: b, text: '', deleted: true } });
  });

  it('with a marker for a message not received yet, counts what is newer than its time', () => {
    const doc = new Y.Doc();
    send(doc, 'bo', 'old', Date.UTC(2024, 0, 1));
    const b = send(doc, 'bo', 'new', Date.UTC(2024, 0, 3));
    roomTypes(doc).reads.set('ana', { id: 'not-here-yet', ts: Date.UTC(2024, 0, 2) });
    expect(summarizeRoom(doc, 'ana')).toMatchObject({ unread: 1, firstUnread: b });
  });

  it('skips malformed elements', () => {
    const doc = new Y.Doc();
    const a = send(doc, 'bo', 'ok');
    roomTypes(doc).messages.insert(1, [{ nonsense: true } as never]);
    expect(summarizeRoom(doc, 'ana')).toMatchObject({ unread: 1, last: { id: a } });
  });

  it('agrees with unreadCount on any history', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('send' as const), author: fc.constantFrom('ana', 'bo', 'cy') }),
      fc.record({ kind: fc.constant('read' as const), back: fc.nat(5) }),
      fc.record({ kind: fc.constant('delete' as const), back: fc.nat(5) })
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const doc = new Y.Doc();
        const ids: string[] = [];
        let n = 0;
        for (const s of steps) {
          if (s.kind === 'send') ids.push(send(doc, s.author, `m${n++}`));
          else {
            const id = ids[ids.length - 1 - s.back];
            if (!id) continue;
            if (s.kind === 'read') markRead(doc, { userId: 'ana', messageId: id });
            else deleteMessage(doc, { messageId: id, userId: 'x', role: 'admin' });
          }
        }
        expect(summarizeRoom(doc, 'ana').unread).toBe(unreadCount(doc, 'ana'));
      })
    );
  });
});
