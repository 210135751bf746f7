import { json } from '@sveltejs/kit';
import { mayDeleteRoom } from '$lib/chat/roles';
import { api, ApiError, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { deleteRoom, listFormerMembers, listMembers, memberIds } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  const [members, former] = await Promise.all([listMembers(sql, room.id), listFormerMembers(sql, room.id)]);
  return json({ room, members, former, me: { role } }, { headers: { 'cache-control': 'no-store' } });
});

export const DELETE: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql, access } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  if (!mayDeleteRoom(role)) throw new ApiError(403, 'forbidden', 'Only owners may delete a room');
  const members = await memberIds(sql, room.id);
  await deleteRoom(sql, room.id);
  access.roomDeleted(room.id);
  access.roomsChanged(members);
  return new Response(null, { status: 204 });
});
