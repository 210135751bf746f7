import { imageSize } from 'image-size';
import type { Sql } from 'postgres';
import * as v from 'valibot';

/** What others see of a person: their username, the name they chose, and their avatar's version (null: none). */
export interface Profile {
  id: string;
  username: string;
  displayName: string | null;
  avatar: number | null;
}

/** Longest display name, in UTF-16 code units. */
export const MAX_DISPLAY_NAME = 64;

export const DisplayNameSchema = v.object({
  displayName: v.nullable(
    v.pipe(
      v.string('Display name must be text'),
      v.trim(),
      v.maxLength(MAX_DISPLAY_NAME, `Display name must be at most ${MAX_DISPLAY_NAME} characters`),
      // No control or invisible formatting characters (a name that cannot be seen, or reads right-to-left over the rest).
      v.check((name) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(name), 'Display name may not contain control or invisible characters')
    )
  )
});

/** Largest avatar upload (the browser sends a 256 px image of a few KB; this is for other clients). */
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
/** Widest and tallest avatar stored. */
export const MAX_AVATAR_PIXELS = 256;

const AVATAR_TYPES: Record<string, string> = { png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp', gif: 'image/gif' };

export type AvatarCheck = { ok: true; contentType: string } | { ok: false; status: 413 | 415 | 422; code: string; message: string };

/**
 * Whether `bytes` may be someone's avatar: a PNG, JPEG, WebP or GIF (told by its bytes, not
 * by what the client claims; never SVG, which can carry script), at most 5 MB and 256 px.
 */
export function checkAvatar(bytes: Uint8Array): AvatarCheck {
  if (bytes.byteLength > MAX_AVATAR_BYTES) return { ok: false, status: 413, code: 'avatar_too_large', message: 'An avatar must be at most 5 MB' };
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return { ok: false, status: 415, code: 'not_an_image', message: 'An avatar must be a PNG, JPEG, WebP or GIF image' };
  }
  const contentType = size.type ? AVATAR_TYPES[size.type] : undefined;
  if (!contentType) return { ok: false, status: 415, code: 'not_an_image', message: 'An avatar must be a PNG, JPEG, WebP or GIF image' };
  if (size.width > MAX_AVATAR_PIXELS || size.height > MAX_AVATAR_PIXELS) {
    return { ok: false, status: 422, code: 'avatar_too_big', message: `An avatar must be at most ${MAX_AVATAR_PIXELS}×${MAX_AVATAR_PIXELS} pixels` };
  }
  return { ok: true, contentType };
}

export async function getProfile(sql: Sql, userId: string): Promise<Profile | null> {
  const [row] = await sql<Profile[]>`
    select u.id, u.username, u.display_name as "displayName", a.version as avatar
    from users u left join avatars a on a.user_id = u.id where u.id = ${userId}`;
  return row ?? null;
}

export async function setDisplayName(sql: Sql, userId: string, displayName: string | null): Promise<void> {
  await sql`update users set display_name = ${displayName || null} where id = ${userId}`;
}

/** Stores a checked avatar; returns its new version. */
export async function setAvatar(sql: Sql, userId: string, data: Uint8Array, contentType: string): Promise<number> {
  const [row] = await sql<{ version: number }[]>`
    insert into avatars (user_id, data, content_type) values (${userId}, ${Buffer.from(data)}, ${contentType})
    on conflict (user_id) do update set data = excluded.data, content_type = excluded.content_type,
      version = avatars.version + 1, updated_at = now()
    returning version`;
  return row!.version;
}

export async function deleteAvatar(sql: Sql, userId: string): Promise<void> {
  await sql`delete from avatars where user_id = ${userId}`;
}

export async function getAvatar(sql: Sql, userId: string): Promise<{ data: Uint8Array; contentType: string; version: number } | null> {
  const [row] = await sql<{ data: Buffer; content_type: string; version: number }[]>`
    select data, content_type, version from avatars where user_id = ${userId}`;
  return row ? { data: new Uint8Array(row.data), contentType: row.content_type, version: row.version } : null;
}

/** Everyone who shares a room with `userId`, and they themselves: whose names their Porch shows. */
export async function listPeople(sql: Sql, userId: string): Promise<Profile[]> {
  return sql<Profile[]>`
    select u.id, u.username, u.display_name as "displayName", a.version as avatar
    from users u left join avatars a on a.user_id = u.id
    where u.id = ${userId}
       or u.id in (select o.user_id from room_members m join room_members o on o.room_id = m.room_id where m.user_id = ${userId})`;
}

/** Whose Porch shows `userId`'s profile: everyone sharing a room with them, and they themselves. */
export async function profileAudience(sql: Sql, userId: string): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    select ${userId} as id
    union select o.user_id from room_members m join room_members o on o.room_id = m.room_id where m.user_id = ${userId}`;
  return rows.map((r) => r.id);
}
