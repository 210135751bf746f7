import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import * as bc from 'lib0/broadcastchannel';
import { decodeFrame, encodeFrame, MessageType, readAck } from '$lib/protocol/frames';
import type { AckTracker } from './delivery';

/** Key of the acked clocks in the room's IndexedDB "custom" store. */
const ACKS_KEY = 'acks';

/** The slice of y-indexeddb's persistence (its "custom" key-value store) the acks are kept in. */
export interface AckStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
}

/** Loads the acks saved by an earlier visit, so sent messages show as sent before any network. */
export async function restoreAcks(tracker: AckTracker, store: AckStore): Promise<void> {
  try {
    tracker.restore(JSON.parse(String((await store.get(ACKS_KEY)) ?? '[]')));
  } catch {
    // unreadable saved acks: messages show as pending until the server's state vector
  }
}

/** Saves the acked clocks for the next visit. */
export function saveAcks(tracker: AckTracker, store: AckStore | null): void {
  void store?.set(ACKS_KEY, JSON.stringify(tracker.toJSON())).catch(() => {
    // losing the saved acks only means "pending" until the next connection
  });
}

/**
 * Feeds `tracker` from the server (SPEC 9): its type-100 acks, and the durable state vector
 * its sync step 1 carries. `onmoved` runs whenever an ack moved forward.
 */
export function listenForAcks(provider: WebsocketProvider, tracker: AckTracker, onmoved: () => void): void {
  provider.messageHandlers[MessageType.Ack] = (_encoder, decoder, _provider, fromSocket) => {
    const { client, clock } = readAck(decoder);
    if (tracker.markAcked(client, clock)) onmoved();
    // only the tab holding the socket hears the server; tell this room's other tabs too
    if (fromSocket) bc.publish(provider.bcChannel, encodeFrame({ kind: 'ack', client, clock }), provider);
  };
  const handleSync = provider.messageHandlers[MessageType.Sync];
  if (!handleSync) return;
  provider.messageHandlers[MessageType.Sync] = (encoder, decoder, p, fromSocket, messageType) => {
    // one from another tab (BroadcastChannel, fromSocket false) says nothing about the server
    if (fromSocket && markServerStateVector(tracker, decoder.arr)) onmoved();
    handleSync(encoder, decoder, p, fromSocket, messageType);
  };
}

/** Reads a server sync step 1 from the whole frame (the real handler reads it again). */
function markServerStateVector(tracker: AckTracker, frame: Uint8Array): boolean {
  const decoded = decodeFrame(frame);
  if (!decoded.ok || decoded.frame.kind !== 'sync-step-1') return false;
  try {
    return tracker.markStateVector(Y.decodeStateVector(decoded.frame.stateVector));
  } catch {
    // malformed state vector: the real handler will fail on it the same way; nothing to add here
    return false;
  }
}
