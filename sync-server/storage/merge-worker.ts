import { parentPort } from 'node:worker_threads';
import { mergeIntoSnapshot } from './merge';

/**
 * The compaction thread (merge-thread.ts): merges a room's snapshot and log here, so that a
 * big room's merge (~270 ms for 100,000 messages) does not stall every other room's event loop.
 */
parentPort?.on('message', ({ id, updates }: { id: number; updates: Uint8Array[] }) => {
  try {
    const { snapshot, state } = mergeIntoSnapshot(updates);
    const { stateVector, deleteSet } = state.encode();
    parentPort!.postMessage({ id, snapshot, stateVector, deleteSet }, [snapshot.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
