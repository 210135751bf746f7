import * as v from 'valibot';
import type * as Y from 'yjs';
import { EARLIEST_TS, MAX_CLOCK_SKEW_MS, MESSAGE_ID } from './schema';
import type { Problem } from './values';

/**
 * What happened to a room's membership and settings ("ana added ben", "ben left"), kept in
 * the room document's `events` map (event id -> event) so it syncs, stays on the device and
 * reads in order with the messages, offline too. Only the server writes it (SPEC 7.9): it
 * makes the change in Postgres and then records it here. Each event carries the names as
 * they were, so a line still reads right after someone left or was renamed.
 */

/** The writer id of the server's own changes: bound to its clientIDs, never a user's id (which have no `~`). */
export const SERVER_WRITER_ID = '~server';

const Id = v.pipe(v.string(), v.regex(MESSAGE_ID));
const Name = v.pipe(v.string(), v.minLength(1), v.maxLength(200));
const base = { actor: Id, actorName: Name, ts: v.number() };

export const RoomEventSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('created'), ...base, name: Name }),
  v.strictObject({ kind: v.literal('added'), ...base, subject: Id, subjectName: Name }),
  v.strictObject({ kind: v.literal('removed'), ...base, subject: Id, subjectName: Name }),
  v.strictObject({ kind: v.literal('left'), ...base }),
  v.strictObject({ kind: v.literal('renamed'), ...base, name: Name }),
  v.strictObject({ kind: v.literal('topic'), ...base, topic: v.pipe(v.string(), v.maxLength(300)) })
]);

export type RoomEvent = v.InferOutput<typeof RoomEventSchema>;

/** A room event with its key, as the conversation shows it. */
export type KeyedRoomEvent = RoomEvent & { id: string };

/** Why `value` is not a room event the server may write at `now`, or null. */
export function roomEventProblem(value: unknown, now: number): Problem {
  const parsed = v.safeParse(RoomEventSchema, value);
  if (!parsed.success) return 'Room event has the wrong shape';
  const { ts } = parsed.output;
  if (!Number.isFinite(ts) || ts < EARLIEST_TS || ts > now + MAX_CLOCK_SKEW_MS) return 'Room event timestamp is out of range';
  return null;
}

/** The room's events in time order (what a newer server wrote and this one cannot read is skipped). */
export function listRoomEvents(events: Y.Map<RoomEvent>): KeyedRoomEvent[] {
  const list: KeyedRoomEvent[] = [];
  for (const [id, value] of events) {
    const parsed = v.safeParse(RoomEventSchema, value);
    if (parsed.success) list.push({ ...parsed.output, id });
  }
  return list.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1));
}

/** The system line for an event, as `meId` reads it ("You added ben"). */
export function describeRoomEvent(event: RoomEvent, meId: string): string {
  const actor = event.actor === meId ? 'You' : event.actorName;
  const subject = (id: string, name: string) => (id === meId ? 'you' : name);
  switch (event.kind) {
    case 'created':
      return `${actor} created the room “${event.name}”`;
    case 'added':
      return `${actor} added ${subject(event.subject, event.subjectName)}`;
    case 'removed':
      return `${actor} removed ${subject(event.subject, event.subjectName)}`;
    case 'left':
      return `${actor} left`;
    case 'renamed':
      return `${actor} renamed the room to “${event.name}”`;
    case 'topic':
      return event.topic ? `${actor} changed the description to “${event.topic}”` : `${actor} removed the description`;
    default:
      throw new Error(`unknown room event ${(event satisfies never) as string}`);
  }
}
