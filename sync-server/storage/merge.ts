import * as Y from 'yjs';

/**
 * Merges updates into one, through a document so that deleted content is garbage
 * collected (Y.mergeUpdates keeps it).
 */
export function mergeIntoSnapshot(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return merged;
}
