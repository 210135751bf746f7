import { json } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { hashPassword } from '$lib/server/auth/password';
import { createSession, invalidateSession } from '$lib/server/auth/session';
import { api, ApiError, readBody } from '$lib/server/http/api';
import { getRuntime } from '$lib/server/runtime';
import { CredentialsSchema, insertUser } from '$lib/server/users';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = api(async ({ locals, request, cookies }) => {
  const { sql, secureCookies, access } = getRuntime();
  const { username, password } = await readBody(request, CredentialsSchema);
  const user = await insertUser(sql, username, await hashPassword(password));
  if (!user) throw new ApiError(409, 'username_taken', 'That username is taken');
  // The session this browser had before (if any) ends: ids rotate at every sign-in.
  if (locals.session) {
    await invalidateSession(sql, locals.session.id);
    access.sessionEnded(locals.session.id);
  }
  const { token, session } = await createSession(sql, user.id);
  setSessionCookie(cookies, token, session.expiresAt, secureCookies);
  return json({ user, token }, { status: 201, headers: { 'cache-control': 'no-store' } });
});
