import { json } from '@sveltejs/kit';
import { api, requireUser } from '$lib/server/http/api';
import { getRuntime } from '$lib/server/runtime';
import { searchUsers } from '$lib/server/users';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = api(async ({ locals, url }) => {
  requireUser(locals);
  const q = (url.searchParams.get('q') ?? '').slice(0, 64);
  return json({ users: await searchUsers(getRuntime().sql, q) }, { headers: { 'cache-control': 'no-store' } });
});
