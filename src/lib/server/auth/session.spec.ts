import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import { openTestDatabase } from '../../../../tests/helpers/database';
import { insertUser } from '../users';
import {
  createSession,
  invalidateSession,
  SESSION_LIFETIME_MS,
  sessionTokenFromAuthorization,
  sessionTokenFromCookieHeader,
  validateSessionToken
} from './session';

let db: Database;
let userId: string;
beforeAll(async () => {
  db = await openTestDatabase();
  userId = (await insertUser(db.sql, 'sam', 'x'))!.id;
});
afterAll(async () => {
  await db?.close();
});

describe('sessions', () => {
  it('issues an id.secret token and stores only a SHA-256 hash of the secret', async () => {
    const { token, session } = await createSession(db.sql, userId);
    const [id, secret] = token.split('.');
    expect(id).toBe(session.id);
    expect(secret!.length).toBeGreaterThanOrEqual(24);
    const [row] = await db.sql<{ secret_hash: Uint8Array }[]>`select secret_hash from sessions where id = ${id!}`;
    expect(row!.secret_hash.byteLength).toBe(32);
    expect(Buffer.from(row!.secret_hash).toString('latin1')).not.toContain(secret);
  });

  it('validates the right token and rejects a forged secret, a missing dot or an unknown id', async () => {
    const { token } = await createSession(db.sql, userId);
    expect((await validateSessionToken(db.sql, token))?.user).toEqual({ id: userId, username: 'sam' });
    const [id] = token.split('.');
    expect(await validateSessionToken(db.sql, `${id}.aaaaaaaaaaaaaaaaaaaaaaaa`)).toBeNull();
    expect(await validateSessionToken(db.sql, token.replace('.', ''))).toBeNull();
    expect(await validateSessionToken(db.sql, 'nope.nope')).toBeNull();
  });

  it('expires after 30 days and deletes the row', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { token, session } = await createSession(db.sql, userId, now);
    const later = new Date(now.getTime() + SESSION_LIFETIME_MS + 1);
    expect(await validateSessionToken(db.sql, token, later)).toBeNull();
    expect(await db.sql`select 1 from sessions where id = ${session.id}`).toHaveLength(0);
  });

  it('slides the expiry forward when used in its second half, not before', async () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const { token } = await createSession(db.sql, userId, now);
    const early = await validateSessionToken(db.sql, token, new Date(now.getTime() + 1000));
    expect(early?.renewed).toBe(false);
    const at20days = new Date(now.getTime() + 20 * 86_400_000);
    const renewed = await validateSessionToken(db.sql, token, at20days);
    expect(renewed?.renewed).toBe(true);
    expect(renewed!.session.expiresAt.getTime()).toBe(at20days.getTime() + SESSION_LIFETIME_MS);
  });

  it('is dead after sign-out', async () => {
    const { token, session } = await createSession(db.sql, userId);
    await invalidateSession(db.sql, session.id);
    expect(await validateSessionToken(db.sql, token)).toBeNull();
  });

  it('reads the token from a Cookie header or an Authorization header', () => {
    expect(sessionTokenFromCookieHeader('a=1; session=abc.def; b=2')).toBe('abc.def');
    expect(sessionTokenFromCookieHeader('sessionx=1')).toBeNull();
    expect(sessionTokenFromCookieHeader(undefined)).toBeNull();
    expect(sessionTokenFromAuthorization('Bearer abc.def')).toBe('abc.def');
    expect(sessionTokenFromAuthorization('Basic abc')).toBeNull();
  });
});
