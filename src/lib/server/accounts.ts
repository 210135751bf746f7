import type { Sql } from 'postgres';
import * as v from 'valibot';

/** What a deleted account is called wherever its messages, receipts or DMs still show. */
export const DELETED_USER_NAME = 'Deleted user';

export const DeleteAccountSchema = v.object({
  password: v.pipe(v.string('password must be text'), v.maxLength(256, 'password must be at most 256 characters')),
  /** Also remove the text of every message the account wrote. */
  eraseMessages: v.optional(v.boolean('eraseMessages must be true or false'), false)
});

/** What deleting an account changed in its rooms, for the live side (sockets, lists, lines). */
export interface AccountDeletion {
  /** Rooms it left, with who is still in them. */
  left: { roomId: string; members: string[] }[];
  /** Group rooms it owned that have a new owner (its longest-standing admin, else member). */
  handedOver: { roomId: string; to: { id: string; username: string }; previous: 'admin' | 'member' }[];
  /** Group rooms it owned alone: deleted. */
  deleted: string[];
}

/** Rooms whose documents hold something the user wrote (their clientIDs are bound there). */
export async function roomsWrittenIn(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql<{ room_id: string }[]>`select distinct room_id from doc_clients where user_id = ${userId}`;
  return rows.map((r) => r.room_id);
}

/**
 * Deletes an account in one transaction: its owned groups go to someone else (or away, when
 * nobody else is in them), it leaves every room, its sessions, push subscriptions, settings
 * and avatar go, and the row stays as a tombstone with no password and a freed username, so
 * its messages keep an author and its clientIDs stay bound.
 */
export async function deleteAccount(sql: Sql, userId: string): Promise<AccountDeletion> {
  return sql.begin(async (tx) => {
    const result: AccountDeletion = { left: [], handedOver: [], deleted: [] };
    const rooms = await tx<{ room_id: string; role: string; kind: string }[]>`
      select m.room_id, m.role, r.kind from room_members m join rooms r on r.id = m.room_id where m.user_id = ${userId} for update of m`;
    for (const room of rooms) {
      if (room.role === 'owner' && room.kind === 'group') {
        const [next] = await tx<{ user_id: string; username: string; role: 'admin' | 'member' }[]>`
          select m.user_id, u.username, m.role from room_members m join users u on u.id = m.user_id
          where m.room_id = ${room.room_id} and m.user_id <> ${userId}
          order by (m.role = 'admin') desc, m.joined_at, m.user_id limit 1`;
        if (!next) {
          await tx`delete from rooms where id = ${room.room_id}`;
          result.deleted.push(room.room_id);
          continue;
        }
        await tx`update room_members set role = 'owner' where room_id = ${room.room_id} and user_id = ${next.user_id}`;
        result.handedOver.push({ roomId: room.room_id, to: { id: next.user_id, username: next.username }, previous: next.role });
      }
      await tx`delete from room_members where room_id = ${room.room_id} and user_id = ${userId}`;
      const members = await tx<{ user_id: string }[]>`select user_id from room_members where room_id = ${room.room_id}`;
      result.left.push({ roomId: room.room_id, members: members.map((m) => m.user_id) });
    }
    await tx`delete from sessions where user_id = ${userId}`;
    await tx`delete from push_subscriptions where user_id = ${userId}`;
    await tx`delete from room_notification_settings where user_id = ${userId}`;
    await tx`delete from avatars where user_id = ${userId}`;
    await tx`
      update users set username = ${`deleted-${userId}`}, password_hash = '!', display_name = null, deleted_at = now()
      where id = ${userId}`;
    return result;
  });
}
