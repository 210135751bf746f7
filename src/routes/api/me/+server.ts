import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '$lib/server/http/api';
import { DisplayNameSchema, getProfile, profileAudience, setDisplayName } from '$lib/server/profiles';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The signed-in user with their profile (display name, avatar version). */
export const GET: RequestHandler = api(async ({ locals }) => {
  const user = requireUser(locals);
  const profile = await getProfile(getRuntime().sql, user.id);
  return json({ user: { ...user, displayName: profile?.displayName ?? null, avatar: profile?.avatar ?? null } }, { headers: { 'cache-control': 'no-store' } });
});

/** Sets (or with null or '' clears) the display name; everyone who shows it hears at once. */
export const PATCH: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  const { displayName } = await readBody(request, DisplayNameSchema);
  await setDisplayName(sql, user.id, displayName);
  access.roomsChanged(await profileAudience(sql, user.id));
  const profile = await getProfile(sql, user.id);
  return json({ user: { ...user, displayName: profile?.displayName ?? null, avatar: profile?.avatar ?? null } });
});
