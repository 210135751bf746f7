import { clearSessionCookie } from '$lib/server/auth/cookie';
import { invalidateSession } from '$lib/server/auth/session';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = async ({ locals, cookies }) => {
  const { sql, secureCookies, access } = getRuntime();
  if (locals.session) {
    await invalidateSession(sql, locals.session.id);
    access.sessionEnded(locals.session.id);
  }
  clearSessionCookie(cookies, secureCookies);
  return new Response(null, { status: 204 });
};
