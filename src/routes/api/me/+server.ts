import { json } from '@sveltejs/kit';
import { api, requireUser } from '$lib/server/http/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = api(async ({ locals }) => {
  return json({ user: requireUser(locals) }, { headers: { 'cache-control': 'no-store' } });
});
