import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { mergeIntoSnapshot } from './merge';
import { mergeForCompaction, mergeOffThread } from './merge-thread';

/** A room as compaction sees it: a snapshot of `before` messages (if any), then one update per message. */
function storedRoom(before: number, after: number): Uint8Array[] {
  const doc = new Y.Doc();
  for (let i = 0; i < before; i++) sendMessage(doc, { author: `u${i % 5}`, text: `message ${i}` });
  const stored = before > 0 ? [Y.encodeStateAsUpdate(doc)] : [];
  doc.on('update', (u: Uint8Array) => stored.push(u));
  for (let i = 0; i < after; i++) sendMessage(doc, { author: `u${i % 5}`, text: `later ${i}` });
  return stored;
}

describe('mergeOffThread', () => {
  it('gives the same snapshot and state as merging on the event loop', async () => {
    const updates = storedRoom(100, 200);
    const here = mergeIntoSnapshot(updates);
    const there = await mergeOffThread(updates);
    expect(Buffer.from(there.snapshot).equals(Buffer.from(here.snapshot))).toBe(true);
    expect(there.state).toEqual(here.state.encode());
    const doc = new Y.Doc();
    Y.applyUpdate(doc, there.snapshot);
    expect(listMessages(doc)).toHaveLength(300);
  });

  it('leaves the event loop free while a big room merges', async () => {
    const updates = storedRoom(25_000, 500);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await mergeOffThread(updates);
    const tookMs = performance.now() - started;
    clearInterval(timer);
    // On the event loop the timer could not fire until the merge was done.
    expect(tookMs).toBeGreaterThan(20);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(tookMs / 5 / 4));
  });

  it('rejects an update it cannot read, and keeps working after', async () => {
    await expect(mergeOffThread([new Uint8Array([255, 255, 255])])).rejects.toThrow(/Merging the snapshot failed/);
    const merged = await mergeOffThread(storedRoom(0, 3));
    expect(merged.snapshot.byteLength).toBeGreaterThan(0);
  });

  it('compaction merges a small room here and a big one there, with the same result', async () => {
    for (const updates of [storedRoom(0, 50), storedRoom(5_000, 50)]) {
      const merged = await mergeForCompaction(updates);
      expect(Buffer.from(merged.snapshot).equals(Buffer.from(mergeIntoSnapshot(updates).snapshot))).toBe(true);
    }
  });
});
