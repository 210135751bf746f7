import type { ApiRoom } from '$lib/client/api';
import type { MessageIndex } from './message-index';
import { snippet, type SnippetPart } from './snippet';

/** One search result, ready to show. */
export interface FoundMessage {
  roomId: string;
  roomName: string;
  messageId: string;
  /** The author's name, "You" for this user. */
  author: string;
  ts: number;
  /** Around the match, with the matching words marked. */
  parts: SnippetPart[];
}

export interface FoundMessages {
  hits: FoundMessage[];
  /** How many match, counted up to a limit ... */
  total: number;
  /** ... and whether more than that match. */
  capped: boolean;
}

/** Who wrote a message, by name: `members` of the room as this device last saw them. */
export interface Names {
  me: string;
  members: (roomId: string) => { id: string; username: string }[];
}

/** Looks `query` up in the user's `rooms` and makes the hits ready to show: room and author names, snippet. */
export function findMessages(index: MessageIndex, query: string, userRooms: ApiRoom[], options: { limit: number; names: Names }): FoundMessages {
  const { names } = options;
  const rooms = new Map(userRooms.map((r) => [r.id, r]));
  const result = index.search(query, { limit: options.limit, rooms: new Set(rooms.keys()) });
  const byRoom = new Map<string, Map<string, string>>();
  const authorName = (room: ApiRoom, userId: string): string => {
    if (userId === names.me) return 'You';
    let members = byRoom.get(room.id);
    if (!members) byRoom.set(room.id, (members = new Map(names.members(room.id).map((m) => [m.id, m.username]))));
    // A DM is named after the other person.
    return members.get(userId) ?? (room.kind === 'dm' ? room.name : 'Unknown');
  };
  const hits: FoundMessage[] = [];
  for (const hit of result.hits) {
    const room = rooms.get(hit.roomId);
    if (!room) continue;
    hits.push({ roomId: room.id, roomName: room.name, messageId: hit.id, author: authorName(room, hit.author), ts: hit.ts, parts: snippet(hit.text, result.terms) });
  }
  return { hits, total: result.total, capped: result.capped };
}
