import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyEdit, deleteMessage, editMessage, viewMessages } from './edits';
import { sendMessage } from './messages';
import { roomTypes, type EditEntry } from './schema';

function withMessage(author = 'ana') {
  const doc = new Y.Doc();
  const sent = sendMessage(doc, { author, text: 'helo', ts: Date.UTC(2025, 0, 1) });
  if (!sent.ok) throw new Error('send failed');
  return { doc, id: sent.message.id };
}

describe('editMessage', () => {
  it("replaces the author's text and marks it edited; the element stays as sent", () => {
    const { doc, id } = withMessage();
    expect(editMessage(doc, { messageId: id, userId: 'ana', text: ' hello ', ts: Date.UTC(2025, 0, 2) })).toEqual({ ok: true });
    expect(viewMessages(doc)[0]).toMatchObject({ id, text: 'hello', editedAt: Date.UTC(2025, 0, 2), deletedAt: null });
    expect(roomTypes(doc).messages.get(0).text).toBe('helo');
  });

  it("refuses someone else's message, an unknown one, blank and too long text", () => {
    const { doc, id } = withMessage();
    expect(editMessage(doc, { messageId: id, userId: 'bo', text: 'x' })).toEqual({ ok: false, error: 'forbidden' });
    expect(editMessage(doc, { messageId: 'nope', userId: 'ana', text: 'x' })).toEqual({ ok: false, error: 'not-found' });
    expect(editMessage(doc, { messageId: id, userId: 'ana', text: '   ' })).toEqual({ ok: false, error: 'empty' });
    expect(editMessage(doc, { messageId: id, userId: 'ana', text: 'x'.repeat(4001) })).toEqual({ ok: false, error: 'too-long' });
    expect(roomTypes(doc).edits.size).toBe(0);
  });

  it('does not bring a deleted message back', () => {
    const { doc, id } = withMessage();
    deleteMessage(doc, { messageId: id, userId: 'ana', role: 'member' });
    expect(editMessage(doc, { messageId: id, userId: 'ana', text: 'back' })).toEqual({ ok: false, error: 'deleted' });
  });
});

describe('deleteMessage', () => {
  it('shows "deleted" in place, without the text', () => {
    const { doc, id } = withMessage();
    sendMessage(doc, { author: 'bo', text: 'after' });
    expect(deleteMessage(doc, { messageId: id, userId: 'ana', role: 'member', ts: Date.UTC(2025, 0, 3) })).toEqual({ ok: true });
    const [first, second] = viewMessages(doc);
    expect(first).toMatchObject({ id, author: 'ana', text: '', deletedAt: Date.UTC(2025, 0, 3) });
    expect(second?.text).toBe('after');
  });

  it("lets an owner or admin delete anyone's message, not a member", () => {
    const { doc, id } = withMessage();
    expect(deleteMessage(doc, { messageId: id, userId: 'bo', role: 'member' })).toEqual({ ok: false, error: 'forbidden' });
    expect(deleteMessage(doc, { messageId: id, userId: 'cy', role: 'admin' })).toEqual({ ok: true });
    const other = withMessage();
    expect(deleteMessage(other.doc, { messageId: other.id, userId: 'olga', role: 'owner' })).toEqual({ ok: true });
  });
});

describe('applyEdit', () => {
  const sent = { id: 'm1', author: 'ana', text: 'helo', ts: 1 };
  const rows: { why: string; edit: EditEntry | null | undefined; text: string; editedAt: number | null; deletedAt: number | null }[] = [
    { why: 'no edit', edit: undefined, text: 'helo', editedAt: null, deletedAt: null },
    { why: 'no edit (null)', edit: null, text: 'helo', editedAt: null, deletedAt: null },
    { why: 'an edit replaces the text', edit: { text: 'hello', ts: 2 }, text: 'hello', editedAt: 2, deletedAt: null },
    { why: 'a deletion empties it', edit: { deleted: true, ts: 3 }, text: '', editedAt: null, deletedAt: 3 }
  ];
  it.each(rows)('$why', ({ edit, text, editedAt, deletedAt }) => {
    expect(applyEdit(sent, edit)).toEqual({ ...sent, text, editedAt, deletedAt });
  });
});
