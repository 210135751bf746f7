/**
 * Runs in Chromium (bundled by local-copy.spec.ts with esbuild): drives the app's own
 * `openLocalCopy` and `sendMessage` against real IndexedDB.
 */
import * as Y from 'yjs';
import { listMessages, sendMessage } from '../../src/lib/chat/messages';
import { openLocalCopy } from '../../src/lib/sync/local-copy';

async function open(name: string): Promise<Y.Doc> {
  const copy = await openLocalCopy(name, new Y.Doc(), () => new Y.Doc());
  if (copy.state === 'unavailable') throw new Error('no IndexedDB');
  return copy.doc;
}

/**
 * Resolves once every write already issued to the copy `name` is committed: a transaction
 * started later on the same store waits for them (the page must not unload before).
 */
function committed(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
    request.onsuccess = () => {
      const db = request.result;
      const read = db.transaction('updates', 'readonly');
      read.objectStore('updates').count();
      read.oncomplete = () => {
        db.close();
        resolve();
      };
      read.onerror = () => reject(read.error ?? new Error('read failed'));
    };
  });
}

/** Stores `count` messages in the copy `name`. */
async function fill(name: string, count: number): Promise<void> {
  const doc = await open(name);
  for (let i = 0; i < count; i++) sendMessage(doc, { author: 'ana', text: `old ${i}` });
  doc.destroy();
  await committed(name);
}

/** Opens the copy, writes one message while it still loads and one after; returns what the copy held when loaded. */
async function writeWhileLoading(name: string): Promise<number> {
  const doc = new Y.Doc();
  const opening = openLocalCopy(name, doc, () => new Y.Doc());
  sendMessage(doc, { author: 'bo', text: 'written while loading' });
  const copy = await opening;
  const loaded = listMessages(copy.doc).length;
  sendMessage(copy.doc, { author: 'bo', text: 'written after loading' });
  copy.doc.destroy();
  await committed(name);
  return loaded;
}

/** The texts the copy holds, in document order. */
async function texts(name: string): Promise<string[]> {
  const doc = await open(name);
  const out = listMessages(doc).map((m) => m.text);
  doc.destroy();
  return out;
}

declare global {
  interface Window {
    localCopy: { fill: typeof fill; writeWhileLoading: typeof writeWhileLoading; texts: typeof texts };
  }
}
window.localCopy = { fill, writeWhileLoading, texts };
