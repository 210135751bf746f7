import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Sql } from 'postgres';

/** Sessions the way lucia-auth.com teaches: token `id.secret`, only SHA-256(secret) stored. */

export const SESSION_COOKIE = 'session';
const DAY_MS = 24 * 60 * 60 * 1000;
/** A session lives 30 days after its last renewal. */
export const SESSION_LIFETIME_MS = 30 * DAY_MS;
/** Renew (slide) once less than half the lifetime is left, so active users stay signed in. */
const RENEW_WITHIN_MS = 15 * DAY_MS;

export interface Session {
  id: string;
  userId: string;
  expiresAt: Date;
}

export interface SessionUser {
  id: string;
  username: string;
}

export interface ValidSession {
  session: Session;
  user: SessionUser;
  /** True when the expiry moved: the caller re-sends the cookie. */
  renewed: boolean;
}

function randomString(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return encodeBase32LowerCaseNoPadding(buf);
}

function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Creates a session for `userId`; returns the token to hand to the client (never stored). */
export async function createSession(sql: Sql, userId: string, now = new Date()): Promise<{ token: string; session: Session }> {
  // 120 bits each: the id is a lookup key, the secret is what proves possession.
  const id = randomString(15);
  const secret = randomString(15);
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  await sql`insert into sessions (id, user_id, secret_hash, expires_at)
            values (${id}, ${userId}, ${hashSecret(secret)}, ${expiresAt})`;
  return { token: `${id}.${secret}`, session: { id, userId, expiresAt } };
}

/** Checks a token; returns null for anything malformed, unknown, expired or forged. */
export async function validateSessionToken(sql: Sql, token: string, now = new Date()): Promise<ValidSession | null> {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 200) return null;
  const id = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  const [row] = await sql<{ id: string; user_id: string; secret_hash: Uint8Array; expires_at: Date; username: string }[]>`
    select s.id, s.user_id, s.secret_hash, s.expires_at, u.username
    from sessions s join users u on u.id = s.user_id
    where s.id = ${id}`;
  if (!row) return null;
  if (!constantTimeEqual(hashSecret(secret), new Uint8Array(row.secret_hash))) return null;
  const session: Session = { id: row.id, userId: row.user_id, expiresAt: row.expires_at };
  if (now.getTime() >= session.expiresAt.getTime()) {
    await sql`delete from sessions where id = ${id}`;
    return null;
  }
  let renewed = false;
  if (session.expiresAt.getTime() - now.getTime() < RENEW_WITHIN_MS) {
    session.expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
    await sql`update sessions set expires_at = ${session.expiresAt} where id = ${id}`;
    renewed = true;
  }
  return { session, user: { id: row.user_id, username: row.username }, renewed };
}

export async function invalidateSession(sql: Sql, sessionId: string): Promise<void> {
  await sql`delete from sessions where id = ${sessionId}`;
}

/** Reads the `session` cookie out of a raw Cookie header (for the WebSocket upgrade). */
export function sessionTokenFromCookieHeader(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Reads `Authorization: Bearer <token>`. */
export function sessionTokenFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}
