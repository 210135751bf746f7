import { json } from '@sveltejs/kit';
import { api } from '$lib/server/http/api';
import type { RequestHandler } from './$types';

/**
 * Whether this request carries a live session: 200 `{ user }` or 200 `{ user: null }`. The app
 * asks this on start, not `/api/me`, whose 401 for a signed-out visitor the browser logs as
 * an error on the sign-in page.
 */
export const GET: RequestHandler = api(async ({ locals }) => {
  return json({ user: locals.user }, { headers: { 'cache-control': 'no-store' } });
});
