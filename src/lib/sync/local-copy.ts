import * as idb from 'lib0/indexeddb';
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { installAnyReader } from './any-reader';

/** How a room's copy on this device came up. */
export type LocalCopy =
  | { state: 'ready'; doc: Y.Doc; persistence: IndexeddbPersistence }
  /** The copy was damaged: it was dropped and rebuilt from the updates that still decode. */
  | { state: 'recovered'; doc: Y.Doc; persistence: IndexeddbPersistence; dropped: number }
  /** No IndexedDB here (private mode, blocked storage): the room runs from the network only. */
  | { state: 'unavailable'; doc: Y.Doc };

/** After this long without y-indexeddb's 'synced', look at what is stored. */
const CHECK_AFTER_MS = 3000;

function decodes(update: Uint8Array): boolean {
  try {
    Y.decodeUpdate(update);
    return true;
  } catch {
    return false;
  }
}

async function storedUpdates(db: IDBDatabase): Promise<Uint8Array[]> {
  const [store] = idb.transact(db, ['updates'], 'readonly');
  return (await idb.getAll(store!)) as Uint8Array[];
}

/**
 * Holds y-indexeddb's 'update' listener back until it has loaded the stored copy. Yjs encodes
 * every transaction's update when the doc has an 'update' listener, and y-indexeddb listens
 * from its constructor on: loading a long room re-encoded the whole copy only for y-indexeddb
 * to ignore it (its own origin) — a third of the open time at 100,000 messages
 * (docs/benchmarks.md). Nothing written meanwhile is lost: what the doc holds when the stored
 * updates have been read, y-indexeddb stores itself, and the listener is back in the same
 * task, the moment it emits 'synced'.
 */
function holdStoringUntilSynced(persistence: IndexeddbPersistence, doc: Y.Doc): void {
  doc.off('update', persistence._storeUpdate);
  persistence.once('synced', () => doc.on('update', persistence._storeUpdate));
}

/**
 * Opens the room's copy in IndexedDB into `doc`. y-indexeddb never reports 'synced' when a
 * stored update cannot be applied (it throws inside its loader), which would wedge the
 * room; so when loading takes long, the stored updates are checked, and a damaged copy is
 * deleted and rebuilt in a fresh doc (from `makeDoc`) from every update that still
 * decodes — messages written offline survive wherever their bytes do. The server fills in
 * the rest once connected.
 */
export async function openLocalCopy(name: string, doc: Y.Doc, makeDoc: () => Y.Doc): Promise<LocalCopy> {
  if (typeof indexedDB === 'undefined') return { state: 'unavailable', doc };
  // Loading the copy is mostly decoding message values: read them the faster way.
  installAnyReader();
  const persistence = new IndexeddbPersistence(name, doc);
  holdStoringUntilSynced(persistence, doc);
  let db: IDBDatabase;
  try {
    db = await persistence._db;
  } catch {
    doc.off('update', persistence._storeUpdate);
    return { state: 'unavailable', doc };
  }
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const synced = await Promise.race([
      persistence.whenSynced.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_AFTER_MS)))
    ]);
    clearTimeout(timer);
    if (synced) return { state: 'ready', doc, persistence };
    const stored = await storedUpdates(db);
    const good = stored.filter(decodes);
    // All readable: a large copy, just slow. Keep waiting.
    if (good.length === stored.length) continue;
    await persistence.destroy();
    doc.destroy();
    await clearDocument(name);
    const fresh = makeDoc();
    fresh.transact(() => {
      for (const update of good) {
        try {
          Y.applyUpdate(fresh, update);
        } catch {
          // decodes but does not apply: as lost as the broken one
        }
      }
    });
    const rebuilt = new IndexeddbPersistence(name, fresh);
    await rebuilt.whenSynced;
    return { state: 'recovered', doc: fresh, persistence: rebuilt, dropped: stored.length - good.length };
  }
}
