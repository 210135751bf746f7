import { json } from '@sveltejs/kit';
import { api, readBody, requireUser } from '$lib/server/http/api';
import { tooManyRooms } from '$lib/server/http/limit-errors';
import { createRoomWithin, listRooms, NewRoomSchema } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = api(async ({ locals }) => {
  const user = requireUser(locals);
  return json({ rooms: await listRooms(getRuntime().sql, user.id) }, { headers: { 'cache-control': 'no-store' } });
});

export const POST: RequestHandler = api(async ({ locals, request }) => {
  const user = requireUser(locals);
  const { name, topic } = await readBody(request, NewRoomSchema);
  const { sql, limits, access, recordRoomEvent } = getRuntime();
  const room = await createRoomWithin(sql, user.id, name, topic, limits.roomsPerUser);
  if ('overLimit' in room) throw tooManyRooms(room.overLimit);
  access.roomsChanged([user.id]);
  await recordRoomEvent(room.id, { kind: 'created', actor: user.id, actorName: user.username, name: room.name, ts: Date.now() });
  return json({ room }, { status: 201 });
});
