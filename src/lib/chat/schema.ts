import type * as Y from 'yjs';

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
}

export type EditEntry = { text: string; ts: number } | { deleted: true; ts: number };

export interface ReadMarker {
  id: string;
  ts: number;
}

/** Longest message text, in UTF-16 code units (what a textarea's maxlength counts). */
export const MAX_MESSAGE_LENGTH = 4000;

export interface RoomTypes {
  messages: Y.Array<ChatMessage>;
  edits: Y.Map<EditEntry>;
  reactions: Y.Map<number>;
  reads: Y.Map<ReadMarker>;
}

/** The names of the only top-level types a room document may have. */
export const ROOM_TYPE_NAMES = ['messages', 'edits', 'reactions', 'reads'] as const;

export function roomTypes(doc: Y.Doc): RoomTypes {
  return {
    messages: doc.getArray<ChatMessage>('messages'),
    edits: doc.getMap<EditEntry>('edits'),
    reactions: doc.getMap<number>('reactions'),
    reads: doc.getMap<ReadMarker>('reads')
  };
}
