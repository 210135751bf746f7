import { json } from '@sveltejs/kit';
import { mayAddMembers } from '$lib/chat/roles';
import { api, ApiError, readBody, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { roomFull } from '$lib/server/http/limit-errors';
import { addMemberWithin, AddMemberSchema, memberIds } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import { findUserByUsername } from '$lib/server/users';
import type { RequestHandler } from './$types';

export const POST: RequestHandler = api(async ({ locals, params, request }) => {
  const user = requireUser(locals);
  const { sql, limits, access, recordRoomEvent } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  if (!mayAddMembers(role)) throw new ApiError(403, 'forbidden', 'Only owners or admins may add members');
  if (room.kind === 'dm') throw new ApiError(400, 'direct_room', 'A direct message has exactly two people');
  const { username } = await readBody(request, AddMemberSchema);
  const other = await findUserByUsername(sql, username);
  if (!other) throw new ApiError(404, 'user_not_found', `No user named ${username}`);
  const added = await addMemberWithin(sql, room.id, other.id, limits.membersPerRoom);
  if (added === false) throw new ApiError(409, 'already_member', `${other.username} is already a member`);
  if (added !== true) throw roomFull(added.overLimit);
  access.audienceChanged(room.id);
  // Everyone's list counts the members; the new member's shows the room.
  access.roomsChanged(await memberIds(sql, room.id));
  await recordRoomEvent(room.id, { kind: 'added', actor: user.id, actorName: user.username, subject: other.id, subjectName: other.username, ts: Date.now() });
  return json({ member: { ...other, role: 'member' } }, { status: 201 });
});
