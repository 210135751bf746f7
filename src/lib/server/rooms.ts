import type { Sql, TransactionSql } from 'postgres';
import * as v from 'valibot';
import { newId, type User } from './users';
import { DELETED_USER_NAME } from './accounts';

export type Role = 'owner' | 'admin' | 'member';
export type RoomKind = 'group' | 'dm';

export interface Room {
  id: string;
  name: string;
  topic: string | null;
  kind: RoomKind;
  createdAt: string;
}

/** A room as its member sees it in the list. */
export interface RoomSummary extends Room {
  role: Role;
  memberCount: number;
  /** A DM's other person (their profile names and pictures it); null for a group. */
  peer: string | null;
}

export interface Member extends User {
  role: Role;
}

const Name = v.pipe(v.string('Name must be text'), v.trim(), v.minLength(1, 'Name must not be empty'), v.maxLength(80, 'Name must be at most 80 characters'));
const Topic = v.pipe(v.string('Topic must be text'), v.trim(), v.maxLength(300, 'Topic must be at most 300 characters'));

export const NewRoomSchema = v.object({ name: Name, topic: v.optional(Topic) });

/** A change of a group room's name or description (topic); at least one of them. */
export const RoomChangeSchema = v.pipe(
  v.strictObject({ name: v.optional(Name), topic: v.optional(Topic) }, 'Send a name and/or a topic, nothing else'),
  v.check((change) => change.name !== undefined || change.topic !== undefined, 'Send a name and/or a topic')
);

export const RoleChangeSchema = v.strictObject({ role: v.picklist(['owner', 'admin', 'member'], 'Role must be owner, admin or member') }, 'Send only a role');

export const AddMemberSchema = v.object({
  username: v.pipe(v.string('Username must be text'), v.trim(), v.minLength(1, 'Username must not be empty'), v.maxLength(64))
});

interface RoomRow {
  id: string;
  name: string;
  topic: string | null;
  kind: RoomKind;
  created_at: Date;
}

function toRoom(row: RoomRow): Room {
  return { id: row.id, name: row.name, topic: row.topic, kind: row.kind, createdAt: row.created_at.toISOString() };
}

/** A creation or addition refused because it would go past a limit (MAX_ROOMS_PER_USER, MAX_MEMBERS_PER_ROOM). */
export interface OverLimit {
  overLimit: number;
}

export async function createRoom(sql: Sql, ownerId: string, name: string, topic?: string): Promise<RoomSummary> {
  const created = await createRoomWithin(sql, ownerId, name, topic, Infinity);
  if ('overLimit' in created) throw new Error('unreachable: no limit');
  return created;
}

/**
 * Creates a group room unless its creator already created `maxRooms` rooms (group rooms and
 * DMs that still exist). Creations by one user are serialised, so two at once cannot both
 * take the last place.
 */
export async function createRoomWithin(sql: Sql, ownerId: string, name: string, topic: string | undefined, maxRooms: number): Promise<RoomSummary | OverLimit> {
  return sql.begin(async (tx) => {
    if ((await lockedRoomCount(tx, ownerId)) >= maxRooms) return { overLimit: maxRooms };
    const [row] = await tx<RoomRow[]>`
      insert into rooms (id, name, topic, created_by) values (${newId()}, ${name}, ${topic || null}, ${ownerId})
      returning id, name, topic, kind, created_at`;
    await tx`insert into room_members (room_id, user_id, role) values (${row!.id}, ${ownerId}, 'owner')`;
    return { ...toRoom(row!), role: 'owner' as const, memberCount: 1, peer: null };
  });
}

/** Rooms `userId` created, counted under a per-user transaction lock. */
async function lockedRoomCount(tx: TransactionSql, userId: string): Promise<number> {
  await tx`select pg_advisory_xact_lock(hashtext(${`porch:rooms-by:${userId}`}))`;
  const [row] = await tx<{ n: number }[]>`select count(*)::int as n from rooms where created_by = ${userId}`;
  return row!.n;
}

/** The rooms `userId` belongs to, newest first. A DM is named after the other person. */
export async function listRooms(sql: Sql, userId: string): Promise<RoomSummary[]> {
  const rows = await sql<(RoomRow & { role: Role; member_count: number; other_name: string | null; other_id: string | null })[]>`
    select r.id, r.name, r.topic, r.kind, r.created_at, m.role,
           (select count(*)::int from room_members c where c.room_id = r.id) as member_count,
           o.user_id as other_id,
           case when ou.deleted_at is not null then ${DELETED_USER_NAME} else coalesce(nullif(ou.display_name, ''), ou.username) end as other_name
    from room_members m join rooms r on r.id = m.room_id
    left join lateral (select user_id from room_members x where r.kind = 'dm' and x.room_id = r.id and x.user_id <> ${userId} limit 1) o on true
    left join users ou on ou.id = o.user_id
    where m.user_id = ${userId}
    order by r.created_at desc`;
  return rows.map((r) => ({ ...toRoom({ ...r, name: r.other_name ?? r.name }), role: r.role, memberCount: r.member_count, peer: r.other_id }));
}

export async function getRoom(sql: Sql, roomId: string): Promise<Room | null> {
  const [row] = await sql<RoomRow[]>`select id, name, topic, kind, created_at from rooms where id = ${roomId}`;
  return row ? toRoom(row) : null;
}

export async function getRole(sql: Sql, roomId: string, userId: string): Promise<Role | null> {
  const [row] = await sql<{ role: Role }[]>`select role from room_members where room_id = ${roomId} and user_id = ${userId}`;
  return row?.role ?? null;
}

/** One member with their role, or null when not a member. */
export async function getMember(sql: Sql, roomId: string, userId: string): Promise<Member | null> {
  const [row] = await sql<Member[]>`
    select u.id, u.username, m.role from room_members m join users u on u.id = m.user_id
    where m.room_id = ${roomId} and m.user_id = ${userId}`;
  return row ?? null;
}

/** Who is in the room now, by id: whom a change to it concerns. */
export async function memberIds(sql: Sql, roomId: string): Promise<string[]> {
  const rows = await sql<{ user_id: string }[]>`select user_id from room_members where room_id = ${roomId}`;
  return rows.map((r) => r.user_id);
}

export async function listMembers(sql: Sql, roomId: string): Promise<Member[]> {
  return sql<Member[]>`
    select u.id, u.username, m.role from room_members m join users u on u.id = m.user_id
    where m.room_id = ${roomId}
    order by case m.role when 'owner' then 0 when 'admin' then 1 else 2 end, lower(u.username)`;
}

/**
 * People who wrote in the room (messages, reactions, read receipts: every writer's clientID
 * is bound to them) and are no longer members, so their messages and receipts keep a name.
 */
export async function listFormerMembers(sql: Sql, roomId: string): Promise<User[]> {
  return sql<User[]>`
    select u.id, case when u.deleted_at is null then u.username else ${DELETED_USER_NAME} end as username from users u
    where u.id in (select distinct d.user_id from doc_clients d where d.room_id = ${roomId})
      and not exists (select 1 from room_members m where m.room_id = ${roomId} and m.user_id = u.id)
    order by lower(u.username)`;
}

/** Adds `userId` as a member; returns false when already a member. */
export async function addMember(sql: Sql, roomId: string, userId: string, role: Role = 'member'): Promise<boolean> {
  const added = await addMemberWithin(sql, roomId, userId, Infinity, role);
  return added === true;
}

/**
 * Adds `userId` unless the room already has `maxMembers` people; false when already a
 * member. Additions to one room are serialised (a row lock on the room), so two at once
 * cannot both take the last place.
 */
export async function addMemberWithin(sql: Sql, roomId: string, userId: string, maxMembers: number, role: Role = 'member'): Promise<boolean | OverLimit> {
  return sql.begin(async (tx) => {
    await tx`select id from rooms where id = ${roomId} for update`;
    const [count] = await tx<{ n: number }[]>`select count(*)::int as n from room_members where room_id = ${roomId}`;
    if (count!.n >= maxMembers) {
      const [already] = await tx`select 1 from room_members where room_id = ${roomId} and user_id = ${userId}`;
      return already ? false : { overLimit: maxMembers };
    }
    const rows = await tx`
      insert into room_members (room_id, user_id, role) values (${roomId}, ${userId}, ${role})
      on conflict do nothing returning user_id`;
    return rows.length > 0;
  });
}

export async function removeMember(sql: Sql, roomId: string, userId: string): Promise<boolean> {
  const rows = await sql`delete from room_members where room_id = ${roomId} and user_id = ${userId} returning user_id`;
  return rows.length > 0;
}

/** Renames a room or changes its description; returns it as it is now, or null when gone. */
export async function updateRoom(sql: Sql, roomId: string, change: { name?: string | undefined; topic?: string | undefined }): Promise<Room | null> {
  const [row] = await sql<RoomRow[]>`
    update rooms set
      name = coalesce(${change.name ?? null}, name),
      topic = case when ${change.topic !== undefined} then ${change.topic || null} else topic end
    where id = ${roomId}
    returning id, name, topic, kind, created_at`;
  return row ? toRoom(row) : null;
}

/**
 * Gives `userId` a role. Making them the owner hands the room over: the owner until now
 * (`fromOwnerId`) becomes an admin, in the same transaction, so a room always has one owner.
 */
export async function setRole(sql: Sql, roomId: string, userId: string, role: Role, fromOwnerId: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows = await tx`update room_members set role = ${role} where room_id = ${roomId} and user_id = ${userId} returning user_id`;
    if (rows.length === 0) return false;
    if (role === 'owner') await tx`update room_members set role = 'admin' where room_id = ${roomId} and user_id = ${fromOwnerId}`;
    return true;
  });
}

export async function deleteRoom(sql: Sql, roomId: string): Promise<void> {
  await sql`delete from rooms where id = ${roomId}`;
}

/**
 * The one DM room of a pair, created on first use; both are members. Creating it counts
 * against `me`'s `maxRooms` (MAX_ROOMS_PER_USER); opening one that exists always works.
 */
export async function openDirectRoomWithin(sql: Sql, me: User, other: User, maxRooms: number): Promise<{ room: RoomSummary; created: boolean } | OverLimit> {
  const key = [me.id, other.id].sort().join(':');
  return sql.begin(async (tx) => {
    const count = await lockedRoomCount(tx, me.id);
    if (count >= maxRooms) {
      const [existing] = await tx`select 1 from rooms where dm_key = ${key}`;
      if (!existing) return { overLimit: maxRooms };
    }
    const inserted = await tx<RoomRow[]>`
      insert into rooms (id, name, kind, dm_key, created_by)
      values (${newId()}, ${`${me.username}, ${other.username}`}, 'dm', ${key}, ${me.id})
      on conflict (dm_key) do nothing
      returning id, name, topic, kind, created_at`;
    const created = inserted.length > 0;
    const [row] = created ? inserted : await tx<RoomRow[]>`select id, name, topic, kind, created_at from rooms where dm_key = ${key}`;
    const roomId = row!.id;
    await tx`insert into room_members ${tx([
      { room_id: roomId, user_id: me.id, role: 'member' },
      { room_id: roomId, user_id: other.id, role: 'member' }
    ])} on conflict do nothing`;
    return { room: { ...toRoom({ ...row!, name: other.username }), role: 'member' as const, memberCount: me.id === other.id ? 1 : 2, peer: other.id }, created };
  });
}
