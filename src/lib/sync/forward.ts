import type { RoomSendResult } from './room-sync.svelte';
import type { RoomSyncs } from './room-syncs';

/**
 * Sends `text` into another of this user's rooms as a new message by them, marked forwarded.
 * The message is written into that room's document (and so its local copy) at once, online
 * or not. The room stays leased until `release()`: call it once the caller holds the room in
 * some other way (e.g. shows it), or the room's socket may close before the message is out.
 */
export async function forwardMessage(syncs: RoomSyncs, roomId: string, text: string): Promise<{ result: RoomSendResult; release: () => void }> {
  const lease = syncs.lease(roomId);
  await new Promise<void>((resolve) => lease.sync.onReady(() => resolve()));
  return { result: lease.sync.send(text, { forwarded: true }), release: lease.release };
}
