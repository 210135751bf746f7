import type { ChatMessage } from '../../src/lib/chat/schema';
import type { Logger } from '../log';
import type { UpdateStore } from '../storage/update-store';
import type { CompactionOptions } from './log-compaction';
import type { Room } from './room';

/** What a Room is told, and what it may reach, from its server. */

export type RoomOptions = CompactionOptions;

/**
 * The other server instances holding this room (Redis pub/sub), or nobody. Only stored
 * changes are published; awareness goes out as it comes.
 */
export interface RoomFanout {
  publishUpdate(roomId: string, update: Uint8Array, writerId: string): void;
  publishAwareness(roomId: string, update: Uint8Array): void;
}

/** Who hears about new messages once they are durable (Web Push); null for nobody. */
export interface RoomNotifier {
  /** `active`: users with a visible Porch on this room (awareness `active: true`). */
  messagesStored(roomId: string, messages: ChatMessage[], author: { id: string; username: string }, active: ReadonlySet<string>): void;
  /** False when it knows nobody in the room can be notified (the room skips finding new messages). */
  mayNotify(roomId: string): boolean;
}

/** What a Room needs from its server. */
export interface RoomDeps {
  store: UpdateStore;
  log: Logger;
  fanout: RoomFanout | null;
  notifier?: RoomNotifier | null;
  /** Called once when a write failed and the room must be dropped. */
  onFailed: (room: Room) => void;
}
