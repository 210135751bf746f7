import { beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deleteMessage, editMessage } from './edits';
import { sendMessage } from './messages';
import { react, unreact } from './reactions';
import { markRead } from './reads';
import { describeRoomEvent, listRoomEvents, SERVER_WRITER_ID, type RoomEvent } from './room-events';
import { roomTypes } from './schema';
import { changeOf, JudgedDoc, writer } from './test-harness';

const ana = writer('ana');
const bo = writer('bo');
const owner = writer('olga', 'owner');

let server: JudgedDoc;
/** A client doc that has everything the server has. */
function clientOf(): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server.doc));
  return doc;
}
function sent(doc: Y.Doc, author: string, text = 'hello', id?: string): { id: string; update: Uint8Array } {
  let messageId = '';
  const update = changeOf(doc, () => {
    const r = sendMessage(doc, { author, text, ...(id ? { id } : {}) });
    if (r.ok) messageId = r.message.id;
  });
  return { id: messageId, update };
}
function rawMessage(doc: Y.Doc, value: unknown): Uint8Array {
  return changeOf(doc, () => {
    const messages = doc.getArray('messages');
    messages.insert(messages.length, [value]);
  });
}
const reasonOf = (v: ReturnType<JudgedDoc['receive']>) => (v.ok ? 'ok' : v.reason);

beforeEach(() => {
  server = new JudgedDoc();
});

describe('SPEC 7.1: clientIDs belong to their first writer', () => {
  it("binds a new clientID to the writer and refuses another user's use of it", () => {
    const doc = clientOf();
    const first = sent(doc, 'ana');
    expect(server.receive(first.update, ana)).toMatchObject({ ok: true, newClients: [doc.clientID] });
    const second = sent(doc, 'bo');
    expect(reasonOf(server.receive(second.update, bo))).toBe('Client id belongs to another user');
    // Ana goes on writing with it (from the server's state: Bo's attempt was never applied).
    const again = clientOf();
    again.clientID = doc.clientID;
    expect(server.receive(sent(again, 'ana').update, ana)).toMatchObject({ ok: true, newClients: [] });
  });

  it('ignores what the server has already: a resend by anyone changes nothing', () => {
    const doc = clientOf();
    const { update } = sent(doc, 'ana');
    server.receive(update, ana);
    expect(server.receive(update, bo)).toMatchObject({ ok: true, newClients: [] });
  });
});

describe('SPEC 7.2: only the four top-level types, JSON values, no nesting', () => {
  it('refuses a new top-level type', () => {
    const doc = clientOf();
    expect(reasonOf(server.receive(changeOf(doc, () => doc.getMap('admins').set('ana', true)), ana))).toBe('Unknown top-level type');
  });

  it('refuses nested types in messages and in maps', () => {
    const doc = clientOf();
    const nested = changeOf(doc, () => doc.getArray('messages').insert(0, [new Y.Map()]));
    expect(reasonOf(server.receive(nested, ana))).toBe('Nested types are not allowed');
    const doc2 = clientOf();
    const inMap = changeOf(doc2, () => doc2.getMap('reads').set('ana', new Y.Map()));
    expect(reasonOf(server.receive(inMap, ana))).toBe('Nested types are not allowed');
  });

  it('refuses text content and a list used as a map', () => {
    const doc = clientOf();
    expect(reasonOf(server.receive(changeOf(doc, () => doc.getText('messages').insert(0, 'hi')), ana))).toBe('Only JSON values may be written');
    const doc2 = clientOf();
    expect(reasonOf(server.receive(changeOf(doc2, () => doc2.getMap('messages').set('x', 1)), ana))).toBe('messages is a list, not a map');
    const doc3 = clientOf();
    expect(reasonOf(server.receive(changeOf(doc3, () => doc3.getArray('reads').insert(0, [1])), ana))).toBe('reads is a map, not a list');
  });
});

describe('SPEC 7.3: messages', () => {
  const good = { id: 'm1', author: 'ana', text: 'hi', ts: Date.now() };

  it('accepts a well-formed message of the writer, with or without replyTo or forwarded', () => {
    expect(server.receive(rawMessage(clientOf(), good), ana).ok).toBe(true);
    expect(server.receive(rawMessage(clientOf(), { ...good, id: 'm2', replyTo: 'm1' }), ana).ok).toBe(true);
    expect(server.receive(rawMessage(clientOf(), { ...good, id: 'm3', forwarded: true }), ana).ok).toBe(true);
  });

  it.each([
    ['a forged author', { ...good, author: 'bo' }, 'Message author is not the writer'],
    ['4001 characters', { ...good, text: 'x'.repeat(4001) }, 'Text is longer than 4000 characters'],
    ['blank text', { ...good, text: '  ' }, 'Text is empty'],
    ['an extra field', { ...good, admin: true }, 'Message has the wrong shape'],
    ['a missing field', { id: 'm1', author: 'ana', text: 'hi' }, 'Message has the wrong shape'],
    ['an array', [good], 'Message has the wrong shape'],
    ['an id with a bar', { ...good, id: 'a|b' }, 'Message id is invalid'],
    ['a 65-character id', { ...good, id: 'x'.repeat(65) }, 'Message id is invalid'],
    ['a bad replyTo', { ...good, replyTo: 5 }, 'Message replyTo is invalid'],
    ['forwarded: false', { ...good, forwarded: false }, 'Message forwarded is invalid'],
    ['forwarded as a string', { ...good, forwarded: 'room-1' }, 'Message forwarded is invalid'],
    ['a time 6 minutes ahead', { ...good, ts: Date.now() + 6 * 60_000 }, 'Timestamp is in the future'],
    ['a time before 2020', { ...good, ts: Date.UTC(2019, 11, 31) }, 'Timestamp is before 2020'],
    ['a time that is not finite', { ...good, ts: Infinity }, 'Timestamp is not a number']
  ])('refuses %s', (_what, value, reason) => {
    expect(reasonOf(server.receive(rawMessage(clientOf(), value), ana))).toBe(reason);
  });

  it('accepts exactly 4000 characters and an old (offline) time', () => {
    expect(server.receive(rawMessage(clientOf(), { ...good, text: 'x'.repeat(4000), ts: Date.UTC(2021, 0, 1) }), ana).ok).toBe(true);
  });

  it('refuses a second message with an id the room has, even in the same update', () => {
    server.receive(rawMessage(clientOf(), good), ana);
    expect(reasonOf(server.receive(rawMessage(clientOf(), good), ana))).toBe('Message id already exists');
    const doc = clientOf();
    const twice = changeOf(doc, () => doc.getArray('messages').insert(0, [{ ...good, id: 'm9' }, { ...good, id: 'm9' }]));
    expect(reasonOf(server.receive(twice, ana))).toBe('Message id already exists');
  });
});

describe('SPEC 7.4: edits', () => {
  it('lets the author edit and refuses everyone else, admins included', () => {
    const a = clientOf();
    const { id, update } = sent(a, 'ana');
    server.receive(update, ana);
    expect(server.receive(changeOf(a, () => editMessage(a, { messageId: id, userId: 'ana', text: 'better' })), ana).ok).toBe(true);
    for (const who of [bo, owner]) {
      const d = clientOf();
      const forged = changeOf(d, () => roomTypes(d).edits.set(id, { text: 'forged', ts: Date.now() }));
      expect(reasonOf(server.receive(forged, who))).toBe('Only the author may edit a message');
    }
  });

  it('lets the author or an owner mark a message deleted, not another member', () => {
    const a = clientOf();
    const { id, update } = sent(a, 'ana');
    server.receive(update, ana);
    const b = clientOf();
    const byBo = changeOf(b, () => roomTypes(b).edits.set(id, { deleted: true, ts: Date.now() }));
    expect(reasonOf(server.receive(byBo, bo))).toBe('Only the author or an admin may delete a message');
    const o = clientOf();
    expect(server.receive(changeOf(o, () => deleteMessage(o, { messageId: id, userId: 'olga', role: 'owner' })), owner).ok).toBe(true);
  });

  it('refuses an edit of an unknown message and a malformed edit', () => {
    const d = clientOf();
    expect(reasonOf(server.receive(changeOf(d, () => roomTypes(d).edits.set('nope', { text: 'x', ts: Date.now() })), ana))).toBe('Edit of an unknown message');
    const a = clientOf();
    const { id, update } = sent(a, 'ana');
    server.receive(update, ana);
    const bad = changeOf(a, () => roomTypes(a).edits.set(id, { text: 'x', ts: Date.now(), deleted: false } as never));
    expect(reasonOf(server.receive(bad, ana))).toBe('Edit has the wrong shape');
  });

  it('accepts a message sent and edited twice offline in one update (overwritten values arrive deleted)', () => {
    const a = clientOf();
    const update = changeOf(a, () => {
      const r = sendMessage(a, { author: 'ana', text: 'frist' });
      if (!r.ok) throw new Error('send failed');
      editMessage(a, { messageId: r.message.id, userId: 'ana', text: 'first' });
      editMessage(a, { messageId: r.message.id, userId: 'ana', text: 'first!' });
    });
    expect(server.receive(update, ana).ok).toBe(true);
  });
});

describe('SPEC 7.5: reactions', () => {
  it("takes one's own reactions and refuses keys of others and non-emoji", () => {
    const a = clientOf();
    const { id, update } = sent(a, 'ana');
    server.receive(update, ana);
    const b = clientOf();
    expect(server.receive(changeOf(b, () => react(b, { messageId: id, emoji: '👍🏽', userId: 'bo' })), bo).ok).toBe(true);
    const b2 = clientOf();
    const forged = changeOf(b2, () => roomTypes(b2).reactions.set(`${id}|👍|ana`, Date.now()));
    expect(reasonOf(server.receive(forged, bo))).toBe('Reaction belongs to another user');
    // Each cheat on a copy of what the server has: a refused change is not the server's.
    const b3 = clientOf();
    const notEmoji = changeOf(b3, () => roomTypes(b3).reactions.set(`${id}|lol|bo`, Date.now()));
    expect(reasonOf(server.receive(notEmoji, bo))).toBe('Reaction key is invalid');
    // Taking back: only one's own.
    const theirs = clientOf();
    expect(reasonOf(server.receive(changeOf(theirs, () => unreact(theirs, { messageId: id, emoji: '👍🏽', userId: 'bo' })), ana))).toBe('Reaction belongs to another user');
    const mine = clientOf();
    expect(server.receive(changeOf(mine, () => unreact(mine, { messageId: id, emoji: '👍🏽', userId: 'bo' })), bo).ok).toBe(true);
  });
});

describe('SPEC 7.6: reads', () => {
  it("writes only the writer's own marker, shaped { id, ts }", () => {
    const a = clientOf();
    const { id, update } = sent(a, 'ana');
    server.receive(update, ana);
    const b = clientOf();
    expect(server.receive(changeOf(b, () => markRead(b, { userId: 'bo', messageId: id })), bo).ok).toBe(true);
    const b2 = clientOf();
    expect(reasonOf(server.receive(changeOf(b2, () => roomTypes(b2).reads.set('ana', { id, ts: Date.now() })), bo))).toBe('Read marker belongs to another user');
    const b3 = clientOf();
    expect(reasonOf(server.receive(changeOf(b3, () => roomTypes(b3).reads.set('bo', { id, ts: Date.now(), x: 1 } as never)), bo))).toBe(
      'Read marker has the wrong shape'
    );
  });
});

describe('SPEC 7.7: deletions', () => {
  it('lets the author or an owner remove an element, not another member', () => {
    const a = clientOf();
    server.receive(sent(a, 'ana').update, ana);
    const remove = (d: Y.Doc) => changeOf(d, () => d.getArray('messages').delete(0, 1));
    expect(reasonOf(server.receive(remove(clientOf()), bo))).toBe('Only the author or an admin may delete a message');
    expect(server.receive(remove(clientOf()), owner).ok).toBe(true);
    const again = clientOf();
    server.receive(sent(again, 'ana').update, ana);
    expect(server.receive(remove(clientOf()), ana).ok).toBe(true);
  });

  it('checks every message a deletion range covers', () => {
    const a = clientOf();
    server.receive(sent(a, 'ana').update, ana);
    const b = clientOf();
    server.receive(sent(b, 'bo').update, bo);
    const both = clientOf();
    expect(reasonOf(server.receive(changeOf(both, () => both.getArray('messages').delete(0, 2)), bo))).toBe('Only the author or an admin may delete a message');
  });

  it("does not hold a client's whole delete set against it: deletions already made pass", () => {
    const a = clientOf();
    server.receive(sent(a, 'ana').update, ana);
    const o = clientOf();
    server.receive(changeOf(o, () => o.getArray('messages').delete(0, 1)), owner);
    // Bo syncs later: his step 2 carries the owner's deletion too.
    const b = clientOf();
    const step2 = changeOf(b, () => sendMessage(b, { author: 'bo', text: 'late' }));
    expect(Y.decodeUpdate(step2).ds.clients.size).toBe(1);
    expect(server.receive(step2, bo).ok).toBe(true);
  });

  it('accepts a message sent and removed in one offline update', () => {
    const a = clientOf();
    const update = changeOf(a, () => {
      sendMessage(a, { author: 'ana', text: 'oops' });
      a.getArray('messages').delete(0, 1);
    });
    expect(server.receive(update, ana).ok).toBe(true);
  });
});

describe('SPEC 7.9: room events are written by the server only', () => {
  const serverWriter = writer(SERVER_WRITER_ID);
  const added = (ts = Date.now()) => ({ kind: 'added', actor: 'olga', actorName: 'olga', subject: 'bo', subjectName: 'bo', ts });
  function event(doc: Y.Doc, key: string, value: unknown): Uint8Array {
    return changeOf(doc, () => roomTypes(doc).events.set(key, value as never));
  }

  it('takes a well-formed event from the server, and none from a member, an owner or with a wrong shape', () => {
    const doc = clientOf();
    expect(reasonOf(server.receive(event(doc, 'e1', added()), ana))).toBe('Only the server records room events');
    expect(reasonOf(server.receive(event(clientOf(), 'e1', added()), owner))).toBe('Only the server records room events');
    expect(reasonOf(server.receive(event(clientOf(), 'e1', { ...added(), extra: 1 }), serverWriter))).toBe('Room event has the wrong shape');
    expect(reasonOf(server.receive(event(clientOf(), 'e1', { ...added(), ts: Date.now() + 3_600_000 }), serverWriter))).toBe('Room event timestamp is out of range');
    expect(server.receive(event(clientOf(), 'e1', added()), serverWriter)).toMatchObject({ ok: true });
    expect(listRoomEvents(roomTypes(server.doc).events).map((e) => e.kind)).toEqual(['added']);
  });

  it('lets no member delete or overwrite an event, and the server write nothing else', () => {
    server.receive(event(clientOf(), 'e1', added()), serverWriter);
    const doc = clientOf();
    expect(reasonOf(server.receive(changeOf(doc, () => roomTypes(doc).events.delete('e1')), owner))).toBe('Only the server records room events');
    expect(reasonOf(server.receive(event(clientOf(), 'e1', { ...added(), subjectName: 'eve' }), owner))).toBe('Only the server records room events');
    expect(reasonOf(server.receive(sent(clientOf(), SERVER_WRITER_ID).update, serverWriter))).toBe('The server writes only room events');
  });

  it('reads as a line in the conversation, from where the reader stands', () => {
    expect(describeRoomEvent(added() as RoomEvent, 'olga')).toBe('You added bo');
    expect(describeRoomEvent(added() as RoomEvent, 'bo')).toBe('olga added you');
    expect(describeRoomEvent({ kind: 'left', actor: 'bo', actorName: 'bo', ts: 1 }, 'ana')).toBe('bo left');
    expect(describeRoomEvent({ kind: 'renamed', actor: 'ana', actorName: 'ana', name: 'Garden', ts: 1 }, 'bo')).toBe('ana renamed the room to “Garden”');
  });
});
