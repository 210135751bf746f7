/**
 * Runs in Chromium (bundled by esbuild, see local-open.ts): fills a room's local copy the
 * way the app does and times opening it with the app's own `openLocalCopy`.
 */
import { IndexeddbPersistence, PREFERRED_TRIM_SIZE } from 'y-indexeddb';
import * as Y from 'yjs';
import { sendMessage } from '../../../src/lib/chat/messages';
import { roomTypes } from '../../../src/lib/chat/schema';
import { openLocalCopy } from '../../../src/lib/sync/local-copy';
import { roomDoc, TEXT, type RoomShape } from './room-fixture';


async function storedCount(name: string): Promise<number> {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('open failed'));
  });
  const count = await new Promise<number>((resolve, reject) => {
    const request = db.transaction('updates').objectStore('updates').count();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('count failed'));
  });
  db.close();
  return count;
}

/**
 * A local copy of `count` messages. `compacted`: one stored update, as y-indexeddb leaves it
 * after compacting (and as the first sync from the server stores it). Otherwise the same
 * state but the last PREFERRED_TRIM_SIZE - 2 messages arrive one by one through the app's
 * `sendMessage`, one stored update each: the most a copy holds before its next update makes y-indexeddb compact (each open adds one empty update too).
 */
async function fill(name: string, count: number, compacted: boolean, shape: RoomShape = {}): Promise<number> {
  const loose = compacted ? 0 : Math.min(count, PREFERRED_TRIM_SIZE - 2);
  const source = roomDoc(count - loose, shape);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source));
  const copy = await openLocalCopy(name, doc, () => new Y.Doc());
  if (copy.state === 'unavailable') throw new Error('no IndexedDB');
  for (let i = count - loose; i < count; i++) sendMessage(copy.doc, { author: shape.perSession ? '0f6b1f7e-3c1a-4b7e-9d2a-5e8c7b6a4f31' : 'me', text: TEXT, id: shape.perSession ? crypto.randomUUID() : `m${i}` });
  // y-indexeddb writes each update in its own transaction; wait until all are stored.
  const expected = 1 + loose;
  while ((await storedCount(name)) < expected) await new Promise((r) => setTimeout(r, 20));
  await copy.persistence.destroy();
  return storedCount(name);
}

/** ms from opening the copy to y-indexeddb's 'synced', with the message count seen then. */
async function open(name: string): Promise<{ ms: number; messages: number; stored: number }> {
  const t0 = performance.now();
  const copy = await openLocalCopy(name, new Y.Doc(), () => new Y.Doc());
  const ms = performance.now() - t0;
  const messages = roomTypes(copy.doc).messages.length;
  if (copy.state !== 'unavailable') await copy.persistence.destroy();
  return { ms, messages, stored: await storedCount(name) };
}

/**
 * The same with y-indexeddb as it comes (its 'update' listener on while loading): what
 * `openLocalCopy` did before it held that listener back, for comparison.
 */
async function openPlain(name: string): Promise<{ ms: number; messages: number; stored: number }> {
  const t0 = performance.now();
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(name, doc);
  await persistence.whenSynced;
  const ms = performance.now() - t0;
  const messages = roomTypes(doc).messages.length;
  await persistence.destroy();
  return { ms, messages, stored: await storedCount(name) };
}

declare global {
  interface Window {
    porchBench: { fill: typeof fill; open: typeof open; openPlain: typeof openPlain };
  }
}
window.porchBench = { fill, open, openPlain };
