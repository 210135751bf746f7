import { json } from '@sveltejs/kit';
import { mayDeleteRoom, mayEditRoom } from '$lib/chat/roles';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { deleteRoom, listFormerMembers, listMembers, memberIds, RoomChangeSchema, updateRoom } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  const [members, former] = await Promise.all([listMembers(sql, room.id), listFormerMembers(sql, room.id)]);
  return json({ room, members, former, me: { role } }, { headers: { 'cache-control': 'no-store' } });
});

/** Renames a group room or changes its description (owners and admins). */
export const PATCH: RequestHandler = api(async ({ locals, params, request }) => {
  const user = requireUser(locals);
  const { sql, access, recordRoomEvent } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  if (!mayEditRoom(role)) throw new ApiError(403, 'forbidden', 'Only owners or admins may change the room');
  if (room.kind === 'dm') throw new ApiError(400, 'direct_room', 'A direct message is named after the other person');
  const change = await readBody(request, RoomChangeSchema);
  const updated = await updateRoom(sql, room.id, change);
  if (!updated) throw new ApiError(404, 'room_not_found', 'No such room');
  access.roomsChanged(await memberIds(sql, room.id));
  const actor = { actor: user.id, actorName: user.username, ts: Date.now() };
  if (updated.name !== room.name) await recordRoomEvent(room.id, { kind: 'renamed', ...actor, name: updated.name });
  if (updated.topic !== room.topic) await recordRoomEvent(room.id, { kind: 'topic', ...actor, topic: updated.topic ?? '' });
  return json({ room: updated });
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
