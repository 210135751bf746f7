import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { sendMessage } from '$lib/chat/messages';
import { roomTypes } from '$lib/chat/schema';
import { AckTracker } from './delivery';
import { MessageLog } from './message-log.svelte';

function send(doc: Y.Doc, author: string, text: string): string {
  const sent = sendMessage(doc, { author, text });
  if (!sent.ok) throw new Error('send failed');
  return sent.message.id;
}

describe('MessageLog', () => {
  it('follows appends, inserts elsewhere and malformed elements', () => {
    const doc = new Y.Doc();
    const log = new MessageLog(new AckTracker());
    const a = send(doc, 'ana', 'one');
    log.follow(doc);
    const b = send(doc, 'bo', 'two');
    expect(log.messages.map((m) => m.text)).toEqual(['one', 'two']);
    expect(log.positionOf(b)).toBe(1);
    roomTypes(doc).messages.insert(0, [{ bad: 1 } as never]);
    roomTypes(doc).messages.insert(3, [{ also: 'bad' } as never]);
    const c = send(doc, 'cy', 'three');
    expect(log.messages.map((m) => m.id)).toEqual([a, b, c]);
    expect(log.positionOf(c)).toBe(2);
    expect(log.positionOf('nope')).toBe(-1);
  });

  it('lets go of the messages when stopped, and has them all again when it follows again', () => {
    const doc = new Y.Doc();
    const log = new MessageLog(new AckTracker());
    const a = send(doc, 'ana', 'one');
    log.follow(doc);
    log.stop();
    expect(log.messages).toEqual([]);
    expect(log.positionOf(a)).toBe(-1);
    send(doc, 'bo', 'while away');
    log.follow(doc);
    expect(log.messages.map((m) => m.text)).toEqual(['one', 'while away']);
  });

  it('shows delivery from acks, touching only messages that change', () => {
    const doc = new Y.Doc();
    const tracker = new AckTracker();
    const log = new MessageLog(tracker);
    log.follow(doc);
    send(doc, 'ana', 'one');
    send(doc, 'ana', 'two');
    const before = log.messages;
    expect(before.map((m) => m.status)).toEqual(['pending', 'pending']);
    tracker.markAcked(doc.clientID, 1);
    log.refreshDelivery();
    expect(log.messages.map((m) => m.status)).toEqual(['sent', 'pending']);
    expect(log.messages[1]).toBe(before[1]);
  });

  it('takes a remote message into a room of 10,000 in a few milliseconds', () => {
    const remote = new Y.Doc();
    const ids: string[] = [];
    for (let i = 0; i < 10_000; i++) ids.push(send(remote, i % 2 ? 'ana' : 'bo', `message ${i}`));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote));
    const log = new MessageLog(new AckTracker());
    log.follow(doc);
    expect(log.messages).toHaveLength(10_000);
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const sv = Y.encodeStateVector(doc);
      send(remote, 'bo', `late ${i}`);
      const update = Y.encodeStateAsUpdate(remote, sv);
      const start = performance.now();
      Y.applyUpdate(doc, update);
      times.push(performance.now() - start);
    }
    times.sort((x, y) => x - y);
    const median = times[10]!;
    console.log(`remote message into a 10k room: median ${median.toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms`);
    expect(log.messages).toHaveLength(10_020);
    expect(median).toBeLessThan(5);
  });
});
