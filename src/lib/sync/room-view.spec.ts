import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from '$lib/chat/messages';
import { reactionsOf } from '$lib/chat/reactions';
import { roomTypes } from '$lib/chat/schema';
import { RoomView } from './room-view.svelte';

function send(doc: Y.Doc, author: string, text: string): string {
  const sent = sendMessage(doc, { author, text });
  if (!sent.ok) throw new Error('send failed');
  return sent.message.id;
}

describe('RoomView', () => {
  it('toggles own reactions and groups them like reactionsOf', () => {
    const doc = new Y.Doc();
    const id = send(doc, 'bo', 'hi');
    const ana = new RoomView(doc, { id: 'ana', role: 'member' });
    const bo = new RoomView(doc, { id: 'bo', role: 'member' });
    expect(ana.toggleReaction(id, '👍').ok).toBe(true);
    expect(bo.toggleReaction(id, '👍').ok).toBe(true);
    expect(ana.reactionsOf(id)).toEqual(reactionsOf(doc, id));
    expect(ana.reactionsOf(id)[0]?.userIds).toHaveLength(2);
    ana.toggleReaction(id, '👍');
    expect(bo.reactionsOf(id)).toEqual([{ emoji: '👍', userIds: ['bo'] }]);
    expect(ana.toggleReaction(id, 'lol').ok).toBe(false);
  });

  it('ignores bad reaction keys in the doc instead of failing', () => {
    const doc = new Y.Doc();
    const id = send(doc, 'bo', 'hi');
    const { reactions } = roomTypes(doc);
    reactions.set(`${id}|notemoji|bo`, 1);
    reactions.set(`${id}|👍👍|bo`, 1);
    reactions.set('garbage', 1);
    reactions.set(`${id}|🎉|bo`, 'not a number' as never);
    const view = new RoomView(doc, { id: 'ana', role: 'member' });
    expect(view.reactionsOf(id)).toEqual([]);
  });

  it('applies edits and deletions, with the rights of the role', () => {
    const doc = new Y.Doc();
    const id = send(doc, 'bo', 'tpyo');
    const bo = new RoomView(doc, { id: 'bo', role: 'member' });
    const ana = new RoomView(doc, { id: 'ana', role: 'member' });
    const admin = new RoomView(doc, { id: 'cy', role: 'admin' });
    expect(ana.edit(id, 'hacked').ok).toBe(false);
    expect(bo.edit(id, 'typo').ok).toBe(true);
    expect(ana.editOf(id)).toMatchObject({ text: 'typo' });
    const sent = roomTypes(doc).messages.get(0);
    expect(ana.textOf(sent)).toBe('typo');
    expect(ana.canDelete('bo')).toBe(false);
    expect(admin.canDelete('bo')).toBe(true);
    expect(ana.remove(id).ok).toBe(false);
    expect(admin.remove(id).ok).toBe(true);
    expect(bo.editOf(id)).toMatchObject({ deleted: true });
    expect(bo.textOf(sent)).toBe('');
    expect(bo.edit(id, 'back').ok).toBe(false);
  });

  it('moves read markers forward only', () => {
    const doc = new Y.Doc();
    const a = send(doc, 'bo', 'one');
    const b = send(doc, 'bo', 'two');
    const view = new RoomView(doc, { id: 'ana', role: 'member' });
    expect(view.markRead(b)).toBe(true);
    expect(view.markRead(a)).toBe(false);
    expect(view.reads.get('ana')?.id).toBe(b);
    view.destroy();
  });
});
