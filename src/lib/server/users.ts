import type { Sql } from 'postgres';
import * as v from 'valibot';

/** The public face of an account. */
export interface User {
  id: string;
  username: string;
}

const UsernameSchema = v.pipe(
  v.string('Username must be text'),
  v.trim(),
  v.minLength(3, 'Username must be at least 3 characters'),
  v.maxLength(32, 'Username must be at most 32 characters'),
  v.regex(/^[A-Za-z0-9_.-]+$/, 'Username may use letters, digits, "_", "." and "-"')
);

const PasswordSchema = v.pipe(
  v.string('Password must be text'),
  v.minLength(8, 'Password must be at least 8 characters'),
  v.maxLength(256, 'Password must be at most 256 characters')
);

export const CredentialsSchema = v.object({ username: UsernameSchema, password: PasswordSchema });

/** Login takes any strings: a short password is simply wrong, not malformed. */
export const LoginSchema = v.object({
  username: v.pipe(v.string(), v.maxLength(64)),
  password: v.pipe(v.string(), v.maxLength(256))
});

/** The current password may be any string (a short one is simply wrong); the new one follows the rules. */
export const PasswordChangeSchema = v.object({
  currentPassword: v.pipe(v.string('currentPassword must be text'), v.maxLength(256, 'currentPassword must be at most 256 characters')),
  newPassword: PasswordSchema
});

export function newId(): string {
  return crypto.randomUUID();
}

/** Inserts a user; returns null when the name is taken (case-insensitively). */
export async function insertUser(sql: Sql, username: string, passwordHash: string): Promise<User | null> {
  const id = newId();
  const rows = await sql<User[]>`
    insert into users (id, username, password_hash) values (${id}, ${username}, ${passwordHash})
    on conflict (lower(username)) do nothing
    returning id, username`;
  return rows[0] ?? null;
}

export async function findUserForLogin(sql: Sql, username: string): Promise<(User & { passwordHash: string }) | null> {
  const [row] = await sql<{ id: string; username: string; password_hash: string }[]>`
    select id, username, password_hash from users where lower(username) = lower(${username})`;
  return row ? { id: row.id, username: row.username, passwordHash: row.password_hash } : null;
}

export async function findUserByUsername(sql: Sql, username: string): Promise<User | null> {
  const [row] = await sql<User[]>`select id, username from users where lower(username) = lower(${username})`;
  return row ?? null;
}

/** Users whose name starts with (or contains) `query`, prefix matches first. */
export async function searchUsers(sql: Sql, query: string, limit = 20): Promise<User[]> {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const pattern = '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
  return sql<User[]>`
    select id, username from users
    where lower(username) like ${pattern}
    order by (lower(username) like ${q.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}) desc, lower(username)
    limit ${limit}`;
}

export async function passwordHashOf(sql: Sql, userId: string): Promise<string | null> {
  const [row] = await sql<{ password_hash: string }[]>`select password_hash from users where id = ${userId}`;
  return row?.password_hash ?? null;
}

/** Sets a new password hash and deletes every session of the user, together. */
export async function replacePassword(sql: Sql, userId: string, passwordHash: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`update users set password_hash = ${passwordHash} where id = ${userId}`;
    await tx`delete from sessions where user_id = ${userId}`;
  });
}
