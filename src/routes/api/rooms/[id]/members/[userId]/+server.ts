import { mayAddMembers, mayLeave, mayRemoveMember } from '$lib/chat/roles';
import { api, ApiError, requireUser } from '$lib/server/http/api';
import { roomForMember } from '$lib/server/http/room-access';
import { getMember, memberIds, removeMember, type Member } from '$lib/server/rooms';
import { getRuntime } from '$lib/server/runtime';
import type { RequestHandler } from './$types';

/** Owners and admins remove others; anyone removes themselves (leaves). */
export const DELETE: RequestHandler = api(async ({ locals, params }) => {
  const user = requireUser(locals);
  const { sql, access, recordRoomEvent } = getRuntime();
  const { room, role } = await roomForMember(sql, params.id, user.id);
  const leaving = params.userId === user.id;
  let target: Member | null = null;
  if (!leaving) {
    if (!mayAddMembers(role)) throw new ApiError(403, 'forbidden', 'Only owners or admins may remove members');
    target = await getMember(sql, room.id, params.userId);
    const targetRole = target?.role;
    if (!targetRole) throw new ApiError(404, 'not_member', 'That user is not a member');
    if (!mayRemoveMember({ id: user.id, role }, { id: params.userId, role: targetRole })) {
      throw new ApiError(403, 'forbidden', 'You cannot remove someone of equal or higher role');
    }
  } else if (!mayLeave(role)) {
    throw new ApiError(409, 'owner_cannot_leave', 'The owner cannot leave; delete the room instead');
  }
  const members = await memberIds(sql, room.id);
  if (!(await removeMember(sql, room.id, params.userId))) throw new ApiError(404, 'not_member', 'That user is not a member');
  access.memberRemoved(room.id, params.userId);
  access.roomsChanged(members);
  const actor = { actor: user.id, actorName: user.username, ts: Date.now() };
  await recordRoomEvent(room.id, leaving || !target ? { kind: 'left', ...actor } : { kind: 'removed', ...actor, subject: target.id, subjectName: target.username });
  return new Response(null, { status: 204 });
});
