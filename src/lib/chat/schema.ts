import type * as Y from 'yjs';
import type { RoomEvent } from './room-events';

/**
 * The room document (see ARCHITECTURE.md, "Room document"). Every room is one Y.Doc with
 * exactly these top-level types; the browser and the sync server both go through here.
 */

/** A message as stored in `messages`. `author` is a user id, `ts` ms since the epoch. */
export interface ChatMessage {
  id: string;
  author: string;
  text: string;
  ts: number;
  replyTo?: string;
  /** Sent with "Forward": a copy of a message from another room (only ever `true`). */
  forwarded?: true;
}

export type EditEntry = { text: string; ts: number } | { deleted: true; ts: number };

export interface ReadMarker {
  id: string;
  ts: number;
}

/** Longest message text, in UTF-16 code units (what a textarea's maxlength counts). */
export const MAX_MESSAGE_LENGTH = 4000;

/**
 * What a message id may look like: 1 to 64 letters, digits, `-` or `_` (a UUID fits).
 * No `|`, so a reaction key `messageId|emoji|userId` always splits one way.
 */
export const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** No timestamp in the room document is older than this (2020-01-01T00:00:00Z). */
export const EARLIEST_TS = Date.UTC(2020, 0, 1);

/** How far into the future (of the judging clock) a timestamp may lie: clock skew. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** A member's role in a room, as the server knows it. */
export type RoomRole = 'owner' | 'admin' | 'member';


export interface RoomTypes {
  messages: Y.Array<ChatMessage>;
  edits: Y.Map<EditEntry>;
  reactions: Y.Map<number>;
  reads: Y.Map<ReadMarker>;
  /** Membership and settings changes, written by the server only (room-events.ts). */
  events: Y.Map<RoomEvent>;
}

/** The names of the only top-level types a room document may have. */
export const ROOM_TYPE_NAMES = ['messages', 'edits', 'reactions', 'reads', 'events'] as const;

export function roomTypes(doc: Y.Doc): RoomTypes {
  return {
    messages: doc.getArray<ChatMessage>('messages'),
    edits: doc.getMap<EditEntry>('edits'),
    reactions: doc.getMap<number>('reactions'),
    reads: doc.getMap<ReadMarker>('reads'),
    events: doc.getMap<RoomEvent>('events')
  };
}
