import { Worker } from 'node:worker_threads';
import { mergeIntoSnapshot } from './merge';
import type { EncodedState } from './stored-state';

/**
 * Rooms whose stored updates add up to less than this merge on the event loop: a few ms
 * (the merge costs ~25 ms per MB), and no thread (~15 MB of memory) for small deployments.
 */
const OFF_THREAD_BYTES = 256 * 1024;
/** An idle thread is stopped after this long, and its memory returned. */
const IDLE_MS = 60_000;

/** A snapshot merged from a room's stored updates, and the state it holds (merge.ts). */
export interface MergedSnapshot {
  snapshot: Uint8Array;
  state: EncodedState;
}

interface Pending {
  resolve: (merged: MergedSnapshot) => void;
  reject: (err: Error) => void;
}

type Reply = { id: number; error: string } | { id: number; snapshot: Uint8Array; stateVector: Uint8Array; deleteSet: Uint8Array };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | null = null;

/**
 * `mergeIntoSnapshot` on a thread of its own, one for the process, started on first use.
 * Built, the worker is build/merge-worker.js next to build/server.js; from source (tests,
 * tsx) it is the .ts file, run through tsx.
 */
function start(): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const started = fromSource
    ? // Node 20 does not apply `--import tsx` to a worker's entry: register tsx first, then load it.
      new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./merge-worker.ts', import.meta.url).href)}); });`, { eval: true })
    : new Worker(new URL('./merge-worker.js', import.meta.url));
  // Never what keeps the process alive: a merge in flight is awaited by its compaction.
  started.unref();
  started.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (pending.size === 0) {
      idleTimer = setTimeout(() => {
        if (worker !== started || pending.size > 0) return;
        // Gone quietly: its exit is not a failure of anything in flight.
        worker = null;
        started.removeAllListeners();
        void started.terminate();
      }, IDLE_MS);
      idleTimer.unref();
    }
    if (!waiting) return;
    if ('error' in reply) waiting.reject(new Error(`Merging the snapshot failed: ${reply.error}`));
    else waiting.resolve({ snapshot: reply.snapshot, state: { stateVector: reply.stateVector, deleteSet: reply.deleteSet } });
  });
  const stop = (err: Error) => {
    if (worker === started) worker = null;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    for (const waiting of pending.values()) waiting.reject(err);
    pending.clear();
  };
  started.on('error', stop);
  started.on('exit', (code) => stop(new Error(`The merge thread exited (${code})`)));
  return started;
}

/** Compaction's merge: on the event loop for a small room, off it for a big one. */
export async function mergeForCompaction(updates: Uint8Array[]): Promise<MergedSnapshot> {
  const bytes = updates.reduce((n, u) => n + u.byteLength, 0);
  if (bytes >= OFF_THREAD_BYTES) return mergeOffThread(updates);
  const { snapshot, state } = mergeIntoSnapshot(updates);
  return { snapshot, state: state.encode() };
}

/** Merges `updates` into one snapshot off the event loop; rejects if the thread fails. */
export function mergeOffThread(updates: Uint8Array[]): Promise<MergedSnapshot> {
  if (idleTimer) clearTimeout(idleTimer);
  idleTimer = null;
  const thread = (worker ??= start());
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    thread.postMessage({ id, updates });
  });
}
