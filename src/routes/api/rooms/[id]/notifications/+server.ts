import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { getNotificationSettings, NotificationSettingsSchema, setNotificationSettings } from '$lib/server/push/notification-settings';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** The caller's notification settings for this room: `{ muted, mentions }`. */
export const GET: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql } = getRuntime();
  const { room } = await roomForMember(sql, params.id, user.id);
  return json(await getNotificationSettings(sql, room.id, user.id), { headers: { 'cache-control': 'no-store' } });
});

export const PUT: RequestHandler = api(async ({ locals, params, request }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  const { room } = await roomForMember(sql, params.id, user.id);
  const settings = await readBody(request, NotificationSettingsSchema);
  await setNotificationSettings(sql, room.id, user.id, settings);
  access.audienceChanged(room.id);
  return json(settings);
});
