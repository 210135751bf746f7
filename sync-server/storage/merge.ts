import * as Y from 'yjs';
import { StoredState } from './stored-state';

/**
 * Merges updates into one, through a document so that deleted content is garbage
 * collected (Y.mergeUpdates keeps it). Also returns what the merged update holds, without
 * its content (kept with the snapshot, so a restart need not read the snapshot itself).
 */
export function mergeIntoSnapshot(updates: Uint8Array[]): { snapshot: Uint8Array; state: StoredState } {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  const snapshot = Y.encodeStateAsUpdate(doc);
  const state = StoredState.of(doc);
  doc.destroy();
  return { snapshot, state };
}
