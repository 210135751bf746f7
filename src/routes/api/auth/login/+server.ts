import { json } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { verifyAgainstDummy, verifyPassword } from '$lib/server/auth/password';
import { createSession, invalidateSession } from '$lib/server/auth/session';
import { api, apiError, readBody } from '$lib/server/http/api';
import { getRuntime } from '$lib/server/runtime';
import { findUserForLogin, LoginSchema } from '$lib/server/users';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = api(async ({ locals, request, cookies, getClientAddress }) => {
  const { sql, secureCookies, loginThrottle, access } = getRuntime();
  const { username, password } = await readBody(request, LoginSchema);
  const attempt = { username, address: getClientAddress() };
  const seconds = await loginThrottle.retryAfterSeconds(attempt);
  if (seconds > 0) {
    return apiError(429, 'too_many_attempts', `Too many sign-in attempts. Try again in ${seconds} s.`, { 'retry-after': String(seconds) });
  }
  const user = await findUserForLogin(sql, username.trim());
  const ok = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !ok) {
    await loginThrottle.failed(attempt);
    // One answer for unknown user and wrong password.
    return apiError(401, 'invalid_credentials', 'Wrong username or password');
  }
  await loginThrottle.succeeded(attempt);
  // A fresh session at every sign-in: a token planted before sign-in is worth nothing.
  // The session this browser had before (if any) ends: ids rotate at every sign-in.
  if (locals.session) {
    await invalidateSession(sql, locals.session.id);
    access.sessionEnded(locals.session.id);
  }
  const { token, session } = await createSession(sql, user.id);
  setSessionCookie(cookies, token, session.expiresAt, secureCookies);
  return json({ user: { id: user.id, username: user.username }, token }, { headers: { 'cache-control': 'no-store' } });
});
