import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '$lib/chat/messages';
import { roomTypes, type ChatMessage } from '$lib/chat/schema';
import { AckTracker, deliveryStatus, locateElements } from './delivery';

function send(doc: Y.Doc, text: string): ChatMessage {
  const result = sendMessage(doc, { author: 'u-' + doc.clientID, text });
  if (!result.ok) throw new Error('send failed: ' + result.error);
  return result.message;
}

function statuses(doc: Y.Doc, tracker: AckTracker): [string, string][] {
  return locateElements(roomTypes(doc).messages).map(({ value, id }) => [value.text, deliveryStatus(tracker, id)]);
}

/** Two replicas: `phone` writes, `server` stores what it receives. */
function pair(): { phone: Y.Doc; server: Y.Doc } {
  const phone = new Y.Doc();
  const server = new Y.Doc();
  return { phone, server };
}

function syncTo(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('AckTracker', () => {
  it('only moves forward', () => {
    const tracker = new AckTracker();
    expect(tracker.markAcked(7, 3)).toBe(true);
    expect(tracker.markAcked(7, 2)).toBe(false);
    expect(tracker.markAcked(7, 3)).toBe(false);
    expect(tracker.isAcked(7, 2)).toBe(true);
    expect(tracker.isAcked(7, 3)).toBe(false);
    expect(tracker.isAcked(8, 0)).toBe(false);
  });

  it('ignores malformed acks and snapshots', () => {
    const tracker = new AckTracker();
    expect(tracker.markAcked(1, Number.NaN)).toBe(false);
    expect(tracker.markAcked(1, -4)).toBe(false);
    tracker.restore('nonsense');
    tracker.restore([[1, 'x'], [2]]);
    expect(tracker.toJSON()).toEqual([]);
  });

  it('round-trips through toJSON and restore', () => {
    const tracker = new AckTracker();
    tracker.markAcked(1, 5);
    tracker.markAcked(2, 9);
    const copy = new AckTracker();
    copy.restore(JSON.parse(JSON.stringify(tracker.toJSON())));
    expect(copy.ackedClock(1)).toBe(5);
    expect(copy.ackedClock(2)).toBe(9);
  });
});

describe('delivery status', () => {
  it('is pending until the ack covers the struct, then sent', () => {
    const { phone, server } = pair();
    const tracker = new AckTracker();
    send(phone, 'one');
    send(phone, 'two');
    expect(statuses(phone, tracker)).toEqual([
      ['one', 'pending'],
      ['two', 'pending']
    ]);

    // the server stored the first message only
    const [first] = locateElements(roomTypes(phone).messages);
    tracker.markAcked(first!.id.client, first!.id.clock + 1);
    expect(statuses(phone, tracker)).toEqual([
      ['one', 'sent'],
      ['two', 'pending']
    ]);

    syncTo(phone, server);
    tracker.markStateVector(Y.decodeStateVector(Y.encodeStateVector(server)));
    expect(statuses(phone, tracker)).toEqual([
      ['one', 'sent'],
      ['two', 'sent']
    ]);
  });

  it('gives each element of a merged item its own clock', () => {
    const { phone } = pair();
    const { messages } = roomTypes(phone);
    const a: ChatMessage = { id: 'a', author: 'u', text: 'a', ts: 1 };
    const b: ChatMessage = { id: 'b', author: 'u', text: 'b', ts: 2 };
    const c: ChatMessage = { id: 'c', author: 'u', text: 'c', ts: 3 };
    messages.insert(0, [a, b]); // one item holding two elements
    messages.insert(2, [c]); // merged into the same item after the transaction
    const located = locateElements(messages);
    expect(located.map((e) => e.value.id)).toEqual(['a', 'b', 'c']);
    expect(located.map((e) => e.id.clock)).toEqual([0, 1, 2]);

    const tracker = new AckTracker();
    tracker.markAcked(phone.clientID, 2);
    expect(located.map((e) => deliveryStatus(tracker, e.id))).toEqual(['sent', 'sent', 'pending']);
  });

  it('skips deleted elements and keeps the ids of the rest', () => {
    const { phone } = pair();
    send(phone, 'keep');
    send(phone, 'drop');
    send(phone, 'also keep');
    roomTypes(phone).messages.delete(1, 1);
    const located = locateElements(roomTypes(phone).messages);
    expect(located.map((e) => e.value.text)).toEqual(['keep', 'also keep']);
    expect(located.map((e) => e.id.clock)).toEqual([0, 2]);
  });

  it('tracks each writer separately and follows document order', () => {
    const { phone } = pair();
    const laptop = new Y.Doc();
    send(phone, 'from phone');
    syncTo(phone, laptop);
    send(laptop, 'from laptop');
    syncTo(laptop, phone);

    // the server acked the laptop's message but nothing of the phone yet
    const tracker = new AckTracker();
    const laptopClock = Y.decodeStateVector(Y.encodeStateVector(laptop)).get(laptop.clientID) ?? 0;
    tracker.markAcked(laptop.clientID, laptopClock);

    expect(listMessages(phone).map((m) => m.text)).toEqual(['from phone', 'from laptop']);
    expect(statuses(phone, tracker)).toEqual([
      ['from phone', 'pending'],
      ['from laptop', 'sent']
    ]);
  });
});
