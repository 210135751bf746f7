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
const Role = v.picklist(['owner', 'admin', 'member']);

export const RoomEventSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('created'), ...base, name: Name }),
  v.strictObject({ kind: v.literal('added'), ...base, subject: Id, subjectName: Name }),
  v.strictObject({ kind: v.literal('removed'), ...base, subject: Id, subjectName: Name }),
  v.strictObject({ kind: v.literal('left'), ...base }),
  v.strictObject({ kind: v.literal('renamed'), ...base, name: Name }),
  v.strictObject({ kind: v.literal('topic'), ...base, topic: v.pipe(v.string(), v.maxLength(300)) }),
  v.strictObject({ kind: v.literal('role'), ...base, subject: Id, subjectName: Name, role: Role, previous: Role })
]);

export type RoomEvent = v.InferOutput<typeof RoomEventSchema>;

/** A room event with its key, as the conversation shows it. */
export type KeyedRoomEvent = RoomEvent & { id: string };

let sequence = 0;

/**
 * A new event id that sorts after every earlier one of this process: time, then a counter,
 * then randomness (two instances in one millisecond). Events of one request often share a
 * millisecond ("renamed" and "topic"), and must still read in the order they happened.
 */
export function newRoomEventId(now = Date.now()): string {
  sequence = (sequence + 1) % 36 ** 4;
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (b) => (b % 36).toString(36)).join('');
  return now.toString(36).padStart(9, '0') + sequence.toString(36).padStart(4, '0') + random;
}

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
    case 'role': {
      const who = subject(event.subject, event.subjectName);
      if (event.role === 'owner') return `${actor} made ${who} the owner`;
      if (event.role === 'admin') return `${actor} made ${who} an admin`;
      return event.previous === 'admin' ? `${actor} removed ${who} as admin` : `${actor} made ${who} a member`;
    }
    default:
      throw new Error(`unknown room event ${(event satisfies never) as string}`);
  }
}
