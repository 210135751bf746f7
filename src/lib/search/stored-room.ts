import * as Y from 'yjs';
import { installAnyReader } from '$lib/sync/any-reader';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Opens an existing database; null when there is none (and none is created). */
function openExisting(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const open = indexedDB.open(name);
    // No such database: aborting the upgrade leaves nothing behind.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onsuccess = () => {
      const db = open.result;
      // Sign-out deletes the copies: never stand in its way.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    open.onerror = () => resolve(null);
    open.onblocked = () => resolve(null);
  });
}

/**
 * A room's copy on this device (the updates y-indexeddb stored), read into a doc of its own
 * without opening the room: no persistence, no socket. For searching the rooms this tab does
 * not keep open. Null when there is no copy, or it cannot be read; updates that do not apply
 * are skipped, as the room itself would drop them.
 */
export async function readStoredRoom(name: string): Promise<Y.Doc | null> {
  if (typeof indexedDB === 'undefined') return null;
  const db = await openExisting(name);
  if (!db) return null;
  try {
    if (!db.objectStoreNames.contains('updates')) return null;
    const updates = (await request(db.transaction('updates', 'readonly').objectStore('updates').getAll())) as unknown[];
    installAnyReader();
    const doc = new Y.Doc();
    doc.transact(() => {
      for (const update of updates) {
        if (!(update instanceof Uint8Array)) continue;
        try {
          Y.applyUpdate(doc, update);
        } catch {
          // damaged: the room repairs its copy when it opens (local-copy.ts)
        }
      }
    });
    return doc;
  } catch {
    return null;
  } finally {
    db.close();
  }
}
