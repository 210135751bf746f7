import type { Sql } from 'postgres';
import { createSession } from '../../src/lib/server/auth/session';
import { insertUser, type User } from '../../src/lib/server/users';

/** A user with a live session, made straight in the database (sign-up has its own tests). */
export async function makeUser(sql: Sql, username: string): Promise<User & { token: string }> {
  // Not a real hash: these users never sign in with a password.
  const user = await insertUser(sql, username, 'not-a-password-hash');
  if (!user) throw new Error(`user ${username} exists`);
  const { token } = await createSession(sql, user.id);
  return { ...user, token };
}
