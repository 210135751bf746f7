import { json } from '@sveltejs/kit';
import { setSessionCookie } from '$lib/server/auth/cookie';
import { hashPassword } from '$lib/server/auth/password';
import { refuseUnlessPassword } from '$lib/server/auth/reauthenticate';
import { createSession } from '$lib/server/auth/session';
import { api, readBody, requireUser } from '$lib/server/http/api';
import { getRuntime } from '$lib/server/runtime';
import { PasswordChangeSchema, replacePassword } from '$lib/server/users';
import type { RequestHandler } from './$types';

/**
 * Changes the signed-in user's password. Every session of the account ends (each device is
 * signed out and its open sockets close with 4401); this device gets a fresh session. A
 * wrong current password counts as a failed sign-in: a stolen session cookie must not be a
 * way to guess the password.
 */
export const POST: RequestHandler = api(async ({ locals, request, cookies, getClientAddress }) => {
  const user = requireUser(locals);
  const { sql, secureCookies, loginThrottle, access } = getRuntime();
  const { currentPassword, newPassword } = await readBody(request, PasswordChangeSchema);
  const refused = await refuseUnlessPassword(sql, loginThrottle, user, currentPassword, getClientAddress());
  if (refused) return refused;
  await replacePassword(sql, user.id, await hashPassword(newPassword));
  access.sessionsEnded(user.id);
  const { token, session } = await createSession(sql, user.id);
  setSessionCookie(cookies, token, session.expiresAt, secureCookies);
  return json({ user, token }, { headers: { 'cache-control': 'no-store' } });
});
