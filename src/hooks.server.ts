import type { Handle, HandleServerError } from '@sveltejs/kit';
import { building } from '$app/environment';
import { clearSessionCookie, setSessionCookie } from '$lib/server/auth/cookie';
import { SESSION_COOKIE, sessionTokenFromAuthorization, validateSessionToken } from '$lib/server/auth/session';
import { apiError } from '$lib/server/http/api';
import { changesState, isSameOrigin } from '$lib/server/http/same-origin';
import { getRuntime } from '$lib/server/runtime';

/** Fills `locals.user` from the session cookie (or a Bearer token) and slides its expiry. */
export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  event.locals.session = null;
  // Prerendering the app shell at build time: no database, no session.
  if (building) return resolve(event);
  const { sql, secureCookies, origin } = getRuntime();
  // SvelteKit's csrf.checkOrigin covers form posts only; the JSON API gets the same rule,
  // so a page elsewhere cannot make a signed-in browser change anything here.
  const { request } = event;
  if (event.url.pathname.startsWith('/api/') && changesState(request.method) && !isSameOrigin(request.headers.get('origin'), { configuredOrigin: origin, host: request.headers.get('host') })) {
    return apiError(403, 'cross_origin', 'Requests from other sites are not accepted');
  }
  const fromCookie = event.cookies.get(SESSION_COOKIE);
  const token = fromCookie ?? sessionTokenFromAuthorization(event.request.headers.get('authorization') ?? undefined);
  if (token) {
    const valid = await validateSessionToken(sql, token);
    if (valid) {
      event.locals.user = valid.user;
      event.locals.session = valid.session;
      if (valid.renewed && fromCookie) setSessionCookie(event.cookies, token, valid.session.expiresAt, secureCookies);
    } else if (fromCookie) {
      clearSessionCookie(event.cookies, secureCookies);
    }
  }
  return resolve(event);
};

/** Never a stack trace to the client: a message and an id to find the log line. */
export const handleError: HandleServerError = ({ error, status }) => {
  const errorId = crypto.randomUUID();
  if (status !== 404) {
    process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level: 'error', msg: 'request failed', errorId, error: (error as Error)?.stack ?? String(error) }) + '\n');
  }
  return { message: status === 404 ? 'Not found' : 'Something went wrong', errorId };
};
