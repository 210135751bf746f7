import * as v from 'valibot';

/**
 * The user channel (SPEC 22): one WebSocket per tab at `/sync/~me` on which the server tells
 * a signed-in user what changed about their rooms, so every open Porch of theirs, on any
 * instance, shows a room they were added to, a rename, a removal or a deletion at once.
 * Server to client only, JSON text frames; the client sends nothing.
 */

/** Path of the user channel; `~` cannot start a room id, so it never names a room. */
export const USER_CHANNEL_PATH = '/sync/~me';

const RoomSchema = v.object({
  id: v.string(),
  name: v.string(),
  topic: v.nullable(v.string()),
  kind: v.picklist(['group', 'dm']),
  createdAt: v.string(),
  role: v.picklist(['owner', 'admin', 'member']),
  memberCount: v.number(),
  peer: v.optional(v.nullable(v.string()), null)
});

const PersonSchema = v.object({
  id: v.string(),
  username: v.string(),
  displayName: v.nullable(v.string()),
  /** The avatar's version (its URL is `/api/users/:id/avatar?v=`), null for none. */
  avatar: v.nullable(v.number())
});

/**
 * Frames the server sends, each a snapshot, not a delta (a client that missed one is right
 * again with the next), on connect and after every change:
 * - `rooms`: the user's whole room list, newest first, as `GET /api/rooms` answers it;
 * - `people`: everyone who shares a room with the user (and the user), with their profile.
 */
export const UserFrameSchema = v.variant('type', [
  v.object({ type: v.literal('rooms'), rooms: v.array(RoomSchema) }),
  v.object({ type: v.literal('people'), people: v.array(PersonSchema) })
]);

export type UserFrame = v.InferOutput<typeof UserFrameSchema>;

/** The frame in `text`, or null when it is not one (a newer server's frame, garbage). */
export function decodeUserFrame(text: string): UserFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = v.safeParse(UserFrameSchema, value);
  return parsed.success ? parsed.output : null;
}

export function encodeUserFrame(frame: UserFrame): string {
  return JSON.stringify(frame);
}
