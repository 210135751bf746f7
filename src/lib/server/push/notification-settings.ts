import type { Sql } from 'postgres';
import * as v from 'valibot';

/** One member's notification choice for one room. */
export interface NotificationSettings {
  /** No notifications from this room ... */
  muted: boolean;
  /** ... except when mentioned (@username), unless this is off too. */
  mentions: boolean;
}

const DEFAULT_SETTINGS: NotificationSettings = { muted: false, mentions: true };

export const NotificationSettingsSchema = v.object({
  muted: v.boolean('muted must be true or false'),
  mentions: v.boolean('mentions must be true or false')
});

export async function getNotificationSettings(sql: Sql, roomId: string, userId: string): Promise<NotificationSettings> {
  const [row] = await sql<NotificationSettings[]>`
    select muted, mentions from room_notification_settings where room_id = ${roomId} and user_id = ${userId}`;
  return row ? { muted: row.muted, mentions: row.mentions } : { ...DEFAULT_SETTINGS };
}

export async function setNotificationSettings(sql: Sql, roomId: string, userId: string, settings: NotificationSettings): Promise<void> {
  await sql`
    insert into room_notification_settings (room_id, user_id, muted, mentions)
    values (${roomId}, ${userId}, ${settings.muted}, ${settings.mentions})
    on conflict (room_id, user_id) do update set muted = excluded.muted, mentions = excluded.mentions`;
}

/** A member of a room with their settings: who a new message may notify. */
export interface Recipient extends NotificationSettings {
  userId: string;
  username: string;
}

export async function roomRecipients(sql: Sql, roomId: string): Promise<{ name: string; kind: 'group' | 'dm'; members: Recipient[] } | null> {
  const [room] = await sql<{ name: string; kind: 'group' | 'dm' }[]>`select name, kind from rooms where id = ${roomId}`;
  if (!room) return null;
  const members = await sql<{ user_id: string; username: string; muted: boolean | null; mentions: boolean | null }[]>`
    select m.user_id, u.username, s.muted, s.mentions
    from room_members m join users u on u.id = m.user_id
    left join room_notification_settings s on s.room_id = m.room_id and s.user_id = m.user_id
    where m.room_id = ${roomId}`;
  return {
    name: room.name,
    kind: room.kind,
    members: members.map((m) => ({
      userId: m.user_id,
      username: m.username,
      muted: m.muted ?? DEFAULT_SETTINGS.muted,
      mentions: m.mentions ?? DEFAULT_SETTINGS.mentions
    }))
  };
}
